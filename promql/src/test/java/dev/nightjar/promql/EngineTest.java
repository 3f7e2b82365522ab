package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EngineTest {

    private final InMemoryMetricsStore store = new InMemoryMetricsStore();
    private final TenantId tenant = TenantId.of(UUID.randomUUID());
    private final TenantId other = TenantId.of(UUID.randomUUID());
    private final PromqlEngine engine = new PromqlEngine();

    EngineTest() {
        List<SeriesSamples> series = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Sample> samples = new ArrayList<>();
            for (int k = 0; k <= 240; k++) {
                samples.add(new Sample(k * 15_000L, k * (i + 1)));
            }
            series.add(new SeriesSamples(Labels.of("__name__", "requests_total", "pod", "p" + i), samples));
        }
        store.append(tenant, MetricsBatch.of(series));
        store.append(
                other,
                MetricsBatch.of(List.of(new SeriesSamples(
                        Labels.of("__name__", "requests_total", "pod", "secret"), List.of(new Sample(0, 1))))));
    }

    @Test
    void rangeQueryReturnsOneSeriesPerLabelSetWithAPointPerStep() {
        QueryResult.MatrixResult result =
                engine.rangeQuery(store, tenant, "sum by (pod) (rate(requests_total[1m]))", 600_000, 3_600_000, 60_000);

        assertThat(result.series()).hasSize(10);
        assertThat(result.series()).isSortedAccordingTo((a, b) -> a.labels().compareTo(b.labels()));
        QueryResult.RangeSeries p0 = result.series().getFirst();
        assertThat(p0.labels()).isEqualTo(Labels.of("pod", "p0"));
        assertThat(p0.timestampsMs()).hasSize(51).startsWith(600_000L, 660_000L).endsWith(3_600_000L);
        for (double v : p0.values()) {
            assertThat(v).isCloseTo(1.0 / 15, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void scalarRangeQueryIsOneUnlabelledSeries() {
        QueryResult.MatrixResult result = engine.rangeQuery(store, tenant, "time() * 2", 0, 120_000, 60_000);
        assertThat(result.series()).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Labels.EMPTY);
            assertThat(s.values()).containsExactly(0, 120, 240);
        });
    }

    @Test
    void queriesNeverSeeAnotherTenantsSeries() {
        QueryResult.VectorResult result =
                (QueryResult.VectorResult) engine.instantQuery(store, other, "requests_total", 0);
        assertThat(result.samples())
                .singleElement()
                .extracting(s -> s.labels().get("pod"))
                .isEqualTo("secret");
        QueryResult.VectorResult mine =
                (QueryResult.VectorResult) engine.instantQuery(store, tenant, "requests_total", 0);
        assertThat(mine.samples())
                .hasSize(10)
                .noneMatch(s -> s.labels().get("pod").equals("secret"));
    }

    @Test
    void instantQueryOfARangeSelectorReturnsRawSamples() {
        QueryResult.MatrixResult result =
                (QueryResult.MatrixResult) engine.instantQuery(store, tenant, "requests_total{pod=\"p1\"}[1m]", 60_000);
        assertThat(result.series()).singleElement().satisfies(s -> {
            assertThat(s.timestampsMs()).containsExactly(0L, 15_000L, 30_000L, 45_000L, 60_000L);
            assertThat(s.values()).containsExactly(0, 2, 4, 6, 8);
        });
        assertThat(engine.instantQuery(store, tenant, "\"text\"", 5))
                .isEqualTo(new QueryResult.StringResult(5, "text"));
    }

    @Test
    void sampleLimitIsAnExecutionError() {
        PromqlEngine limited = new PromqlEngine(EngineOptions.DEFAULT.withMaxSamples(100));
        assertThatThrownBy(() -> limited.rangeQuery(store, tenant, "rate(requests_total[5m])", 0, 3_600_000, 60_000))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("too many samples")
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.EXECUTION);
    }

    @Test
    void timeoutIsATimeoutError() {
        PromqlEngine hasty = new PromqlEngine(EngineOptions.DEFAULT.withTimeout(Duration.ZERO));
        assertThatThrownBy(() -> hasty.rangeQuery(store, tenant, "requests_total", 0, 3_600_000, 60_000))
                .isInstanceOf(PromqlException.class)
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.TIMEOUT);
    }

    @Test
    void badRangeQueriesAreBadData() {
        assertThatThrownBy(() -> engine.rangeQuery(store, tenant, "requests_total[5m]", 0, 60_000, 15_000))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("invalid expression type \"range vector\" for range query");
        assertThatThrownBy(() -> engine.rangeQuery(store, tenant, "up", 60_000, 0, 15_000))
                .hasMessageContaining("end timestamp must not be before start time");
        assertThatThrownBy(() -> engine.rangeQuery(store, tenant, "up", 0, 60_000, 0))
                .hasMessageContaining("zero or negative query resolution step");
        assertThatThrownBy(() -> engine.rangeQuery(store, tenant, "up", 0, 86_400_000L * 365, 1000))
                .hasMessageContaining("exceeded maximum resolution");
    }

    @Test
    void duplicateOutputLabelSetsAreAnExecutionError() {
        store.append(
                tenant,
                MetricsBatch.of(List.of(
                        new SeriesSamples(Labels.of("__name__", "a", "x", "1"), List.of(new Sample(3_600_000, 1))),
                        new SeriesSamples(Labels.of("__name__", "b", "x", "1"), List.of(new Sample(3_600_000, 2))))));
        assertThatThrownBy(() -> engine.instantQuery(store, tenant, "{x=\"1\"} + 1", 3_600_000))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("same labelset")
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.EXECUTION);
    }
}
