package dev.nightjar.storage.tsdb;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import dev.nightjar.core.metrics.SeriesSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesLimitBurstTest {

    @TempDir
    Path root;

    @Test
    void aBurstOfOneHundredThousandNewSeriesStopsAtTheLimit() {
        TenantId tenant = newTenant();
        int limit = 50_000;
        TsdbOptions options = TsdbOptions.DEFAULT.withLimits(new MetricsLimits(limit, Duration.ofMinutes(10)));
        long refused = 0;
        try (Tsdb db = Tsdb.open(root, options)) {
            for (int b = 0; b < 100; b++) {
                List<SeriesSamples> batch = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    batch.add(new SeriesSamples(
                            Labels.of("__name__", "burst", "id", Integer.toString(b * 1000 + i)),
                            List.of(new Sample(T0, i))));
                }
                try {
                    db.append(tenant, MetricsBatch.of(batch));
                } catch (SeriesLimitExceededException e) {
                    refused += 1000;
                    assertThat(e.limit()).isEqualTo(limit);
                    assertThat(e.getMessage()).contains(tenant.toString()).contains("limit is 50000");
                }
            }
            assertThat(refused).isEqualTo(50_000);
            assertThat(db.stats(tenant).headSeries()).isEqualTo(limit);
            assertThat(db.select(tenant, List.of(Matcher.metricName("burst")), T0, T0))
                    .hasSize(limit);
            // Existing series still take samples; other tenants are unaffected.
            assertThat(db.append(
                                    tenant,
                                    MetricsBatch.of(List.of(new SeriesSamples(
                                            Labels.of("__name__", "burst", "id", "7"),
                                            List.of(new Sample(T0 + 1, 1))))))
                            .accepted())
                    .isEqualTo(1);
            assertThatThrownBy(() -> db.append(
                            tenant,
                            MetricsBatch.of(List.of(new SeriesSamples(
                                    Labels.of("__name__", "burst", "id", "new"), List.of(new Sample(T0 + 1, 1)))))))
                    .isInstanceOf(SeriesLimitExceededException.class);
            assertThat(db.append(
                                    newTenant(),
                                    MetricsBatch.of(List.of(new SeriesSamples(
                                            Labels.of("__name__", "burst", "id", "new"),
                                            List.of(new Sample(T0 + 1, 1))))))
                            .accepted())
                    .isEqualTo(1);
        }
        // The limit holds after a restart too: replayed series count.
        try (Tsdb db = Tsdb.open(root, options)) {
            assertThat(db.stats(tenant).headSeries()).isEqualTo(limit);
        }
    }
}
