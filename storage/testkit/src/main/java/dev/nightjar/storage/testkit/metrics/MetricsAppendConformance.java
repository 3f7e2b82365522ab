package dev.nightjar.storage.testkit.metrics;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.batch;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.labelsOf;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.ramp;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.read;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import dev.nightjar.core.metrics.SeriesSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Append rules: out-of-order window, duplicates and retries, series limit, hostile series, the columnar path. */
public abstract class MetricsAppendConformance extends MetricsConformance {

    @Test
    void outOfOrderSamplesWithinTheWindowAreAcceptedAndOlderOnesCounted() {
        MetricsStore store = store(new MetricsLimits(1000, Duration.ofMinutes(10)));
        TenantId tenant = newTenant();
        Labels m = Labels.of("__name__", "m");
        store.append(tenant, batch(m, T0 + 3_600_000, 1000));

        AppendResult late = store.append(
                tenant,
                batch(
                        m,
                        List.of(
                                new Sample(T0 + 3_600_000 - 60_000, 2),
                                new Sample(T0 + 3_600_000 - 600_000, 3),
                                new Sample(T0 + 3_600_000 - 600_001, 4),
                                new Sample(T0, 5))));

        assertThat(late).isEqualTo(new AppendResult(2, 2, 0));
        assertThat(read(store, tenant, "m", T0, T0 + 4_000_000))
                .extracting(Sample::value)
                .containsExactly(3.0, 2.0, 1.0);
    }

    @Test
    void sameTimestampWithAnotherValueIsADuplicateButARetryIsAccepted() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        Labels m = Labels.of("__name__", "m");
        store.append(tenant, batch(m, T0, 1000, T0 + 1000, 2000));

        AppendResult retry = store.append(tenant, batch(m, T0, 1000, T0 + 1000, 2000));
        AppendResult conflict = store.append(tenant, batch(m, T0 + 1000, 9000));

        assertThat(retry).isEqualTo(new AppendResult(2, 0, 0));
        assertThat(conflict).isEqualTo(new AppendResult(0, 0, 1));
        assertThat(read(store, tenant, "m", T0, T0 + 1000))
                .extracting(Sample::value)
                .containsExactly(1.0, 2.0);
    }

    @Test
    void seriesLimitRefusesTheWholeBatchWithAClearMessage() {
        MetricsStore store = store(new MetricsLimits(3, Duration.ofMinutes(10)));
        TenantId tenant = newTenant();
        store.append(tenant, batch(Labels.of("__name__", "s", "i", "1"), T0, 1000));
        store.append(tenant, batch(Labels.of("__name__", "s", "i", "2"), T0, 1000));
        List<SeriesSamples> two = List.of(
                new SeriesSamples(Labels.of("__name__", "s", "i", "1"), List.of(new Sample(T0 + 1, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "3"), List.of(new Sample(T0 + 1, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "4"), List.of(new Sample(T0 + 1, 1))));

        assertThatThrownBy(() -> store.append(tenant, MetricsBatch.of(two)))
                .isInstanceOf(SeriesLimitExceededException.class)
                .hasMessageContaining("limit is 3")
                .hasMessageContaining("2 new series");
        assertThat(store.select(tenant, List.of(Matcher.metricName("s")), T0, T0 + 1))
                .hasSize(2)
                .allSatisfy(s -> assertThat(samplesOf(s)).hasSize(1));
        // Existing series keep accepting samples at the limit.
        store.append(tenant, batch(Labels.of("__name__", "s", "i", "3"), T0, 1000));
        assertThat(store.append(tenant, batch(Labels.of("__name__", "s", "i", "1"), T0 + 5, 1000))
                        .accepted())
                .isEqualTo(1);
        // Another tenant has its own budget.
        assertThat(store.append(newTenant(), MetricsBatch.of(two)).accepted()).isEqualTo(3);
    }

    @Test
    void hostileSeriesAreRefusedBeforeAnythingIsStored() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        assertThatThrownBy(() -> store.append(tenant, batch(Labels.of("job", "x"), T0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric name");
        assertThatThrownBy(() -> store.append(tenant, batch(Labels.of("__name__", "1bad"), T0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        store.append(tenant, batch(Labels.of("__name__", "m", "v", "x".repeat(100_000)), T0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        String[] many = new String[2 * 200];
        for (int i = 0; i < 200; i++) {
            many[2 * i] = "l" + i;
            many[2 * i + 1] = "v";
        }
        Labels wide = Labels.of(many).with("__name__", "m");
        assertThatThrownBy(() -> store.append(tenant, batch(wide, T0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("bad-name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Matcher.regex("job", "(unclosed")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.labelNames(tenant, List.of(), Long.MIN_VALUE, Long.MAX_VALUE))
                .isEmpty();
    }

    @Test
    void columnsAppendExactlyAsTheirBatch() {
        MetricsStore store = store(new MetricsLimits(1000, Duration.ofMinutes(10)));
        TenantId viaColumns = newTenant();
        TenantId viaBatch = newTenant();
        Labels a = Labels.of("__name__", "c", "s", "a");
        Labels b = Labels.of("__name__", "c", "s", "b");
        Labels fresh = Labels.of("__name__", "c", "s", "fresh");
        MetricsBatch first = MetricsBatch.of(List.of(new SeriesSamples(a, ramp(T0 + 3_600_000, 1000, 3, 1))));
        List<Sample> shuffled = new ArrayList<>(ramp(T0 + 3_100_000, 15_000, 40, 2));
        java.util.Collections.shuffle(shuffled, new java.util.Random(11));
        MetricsBatch second = new MetricsBatch(
                List.of(
                        // out of order, a duplicate with another value, a retry, one too old
                        new SeriesSamples(
                                a,
                                List.of(
                                        new Sample(T0 + 3_600_000 + 1000, 9),
                                        new Sample(T0 + 3_600_000 - 1000, 5),
                                        new Sample(T0 + 3_600_000 + 2000, 2),
                                        new Sample(T0, 7),
                                        new Sample(T0 + 3_600_000 + 5000, 6))),
                        new SeriesSamples(b, shuffled),
                        new SeriesSamples(fresh, List.of()),
                        // the same series twice in one write
                        new SeriesSamples(b, List.of(new Sample(T0 + 4_000_000, 1), new Sample(T0 + 4_000_000, 3)))),
                List.of(new MetricMetadata("c", MetricType.GAUGE, "columns", "")));

        AppendResult columns1 = store.appendColumns(viaColumns, MetricsColumns.of(first));
        AppendResult columns2 = store.appendColumns(viaColumns, MetricsColumns.of(second));
        AppendResult batch1 = store.append(viaBatch, first);
        AppendResult batch2 = store.append(viaBatch, second);

        assertThat(columns1).isEqualTo(batch1);
        assertThat(columns2).isEqualTo(batch2);
        assertThat(columns2.tooOld()).isEqualTo(1);
        assertThat(columns2.duplicates()).isEqualTo(2);
        List<Matcher> all = List.of(Matcher.metricName("c"));
        var fromColumns = store.select(viaColumns, all, T0, T0 + 5_000_000);
        var fromBatch = store.select(viaBatch, all, T0, T0 + 5_000_000);
        assertThat(labelsOf(fromColumns)).containsExactly(a, b);
        assertThat(labelsOf(fromColumns)).isEqualTo(labelsOf(fromBatch));
        for (int i = 0; i < fromColumns.size(); i++) {
            assertThat(samplesOf(fromColumns.get(i))).isEqualTo(samplesOf(fromBatch.get(i)));
        }
        assertThat(samplesOf(fromColumns.get(1)))
                .hasSize(41)
                .isSortedAccordingTo(java.util.Comparator.comparingLong(Sample::timestampMs));
        assertThat(store.metadata(viaColumns)).isEqualTo(store.metadata(viaBatch));
    }

    @Test
    void columnsKeepTheSeriesLimitAndRefuseHostileSeries() {
        MetricsStore store = store(new MetricsLimits(2, Duration.ofMinutes(10)));
        TenantId tenant = newTenant();
        List<SeriesSamples> three = List.of(
                new SeriesSamples(Labels.of("__name__", "s", "i", "1"), List.of(new Sample(T0, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "2"), List.of(new Sample(T0, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "3"), List.of(new Sample(T0, 1))));

        assertThatThrownBy(() -> store.appendColumns(tenant, MetricsColumns.of(MetricsBatch.of(three))))
                .isInstanceOf(SeriesLimitExceededException.class)
                .hasMessageContaining("limit is 2");
        assertThatThrownBy(() -> store.appendColumns(
                        tenant,
                        MetricsColumns.of(MetricsBatch.of(List.of(
                                three.getFirst(),
                                new SeriesSamples(Labels.of("__name__", "1bad"), List.of(new Sample(T0, 1))))))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.labelNames(tenant, List.of(), Long.MIN_VALUE, Long.MAX_VALUE))
                .isEmpty();
        assertThat(store.appendColumns(tenant, MetricsColumns.of(MetricsBatch.of(three.subList(0, 2))))
                        .accepted())
                .isEqualTo(2);
    }

    @Test
    void columnsWithOffsetsThatDoNotFitAreRefused() {
        List<Labels> one = List.of(Labels.of("__name__", "m"));
        assertThatThrownBy(() -> new MetricsColumns(one, new int[] {0, 3}, new long[2], new double[2], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsColumns(one, new int[] {0}, new long[2], new double[2], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsColumns(
                        List.of(Labels.of("__name__", "m"), Labels.of("__name__", "n")),
                        new int[] {0, 2, 1},
                        new long[2],
                        new double[2],
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
