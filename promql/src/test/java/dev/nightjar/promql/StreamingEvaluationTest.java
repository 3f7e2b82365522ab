package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.StaleMarker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Range functions over matrix selectors (and the aggregations above them) are evaluated for the whole
 * step grid at once, sliding one window along each series. Every point of a range query must equal
 * what an instant query at that step, which starts from a fresh window, returns — across irregular
 * scrapes, gaps longer than the range, stale markers, counter resets, NaN, offsets and {@code @}.
 */
class StreamingEvaluationTest {

    private static final long MIN = 60_000;

    private final InMemoryMetricsStore store = new InMemoryMetricsStore();
    private final TenantId tenant = TenantId.of(UUID.randomUUID());
    private final PromqlEngine engine = new PromqlEngine();

    StreamingEvaluationTest() {
        Random random = new Random(42);
        List<SeriesSamples> series = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<Sample> samples = new ArrayList<>();
            double counter = 0;
            long t = random.nextInt(30_000);
            while (t < 120 * MIN) {
                if (random.nextInt(40) == 0) {
                    t += random.nextInt(15) * MIN; // a gap, often longer than the ranges below
                }
                double value;
                int dice = random.nextInt(100);
                if (dice == 0) {
                    value = StaleMarker.VALUE;
                } else if (dice == 1) {
                    value = Double.NaN;
                } else if (dice < 4) {
                    counter = random.nextInt(5); // a counter reset
                    value = counter;
                } else {
                    counter += random.nextInt(20);
                    value = counter;
                }
                samples.add(new Sample(t, value));
                t += 5_000 + random.nextInt(20_000);
            }
            series.add(new SeriesSamples(
                    Labels.of("__name__", "req_total", "job", "j" + (i % 3), "le", Integer.toString(i % 4)), samples));
        }
        store.append(tenant, MetricsBatch.of(series));
    }

    @Test
    void everyRangeQueryPointEqualsAnInstantQueryAtThatStep() {
        String[] queries = {
            "rate(req_total[5m])",
            "increase(req_total[3m])",
            "delta(req_total[5m])",
            "irate(req_total[2m])",
            "idelta(req_total[2m])",
            "deriv(req_total[5m])",
            "predict_linear(req_total[5m], 120)",
            "avg_over_time(req_total[4m])",
            "sum_over_time(req_total[4m])",
            "count_over_time(req_total[4m])",
            "min_over_time(req_total[4m])",
            "max_over_time(req_total[4m])",
            "last_over_time(req_total[4m])",
            "present_over_time(req_total[4m])",
            "stddev_over_time(req_total[4m])",
            "stdvar_over_time(req_total[4m])",
            "quantile_over_time(0.9, req_total[6m])",
            "changes(req_total[10m])",
            "resets(req_total[10m])",
            "holt_winters(req_total[10m], 0.5, 0.3)",
            "rate(req_total[5m] offset 7m)",
            "rate(req_total[5m] @ 3600)",
            "sum by (job) (rate(req_total[5m]))",
            "avg without (le) (increase(req_total[5m]))",
            "count by (le) (rate(req_total[5m]))",
            "min(max_over_time(req_total[5m]))",
            "max by (job) (delta(req_total[5m]))",
            "group by (job) (rate(req_total[5m]))",
            "sum(sum by (job) (rate(req_total[5m])))",
            "histogram_quantile(0.9, sum by (le) (rate(req_total[5m])))",
            "rate(req_total[5m]) * on (job, le) group_left sum by (job, le) (rate(req_total[10m]))",
            "sum by (job) (req_total)",
            "avg(req_total offset 3m)",
            "count by (le) (req_total @ 1800)",
            "max without (le) ((req_total))",
        };
        long[] steps = {10_000, 60_000, 7 * MIN};
        for (String query : queries) {
            for (long step : steps) {
                long start = 3 * MIN + 1_234;
                long end = 110 * MIN;
                QueryResult.MatrixResult range = engine.rangeQuery(store, tenant, query, start, end, step);
                Map<Long, Map<Labels, Double>> byStep = new HashMap<>();
                for (QueryResult.RangeSeries s : range.series()) {
                    for (int i = 0; i < s.size(); i++) {
                        byStep.computeIfAbsent(s.timestampsMs()[i], k -> new HashMap<>())
                                .put(s.labels(), s.values()[i]);
                    }
                }
                int points = 0;
                for (long t = start; t <= end; t += step) {
                    QueryResult.VectorResult instant =
                            (QueryResult.VectorResult) engine.instantQuery(store, tenant, query, t);
                    Map<Labels, Double> expected = new HashMap<>();
                    instant.samples().forEach(s -> expected.put(s.labels(), s.value()));
                    Map<Labels, Double> actual = byStep.getOrDefault(t, Map.of());
                    assertThat(actual.keySet())
                            .as("%s step %d at %d", query, step, t)
                            .isEqualTo(expected.keySet());
                    for (Map.Entry<Labels, Double> e : expected.entrySet()) {
                        assertThat(Double.doubleToLongBits(actual.get(e.getKey())))
                                .as("%s step %d at %d %s", query, step, t, e.getKey())
                                .isEqualTo(Double.doubleToLongBits(e.getValue()));
                    }
                    points += expected.size();
                }
                assertThat(points).as("%s has results to compare", query).isPositive();
            }
        }
    }

    @Test
    void streamedAggregationsEqualTheStepByStepPathBitForBit() {
        // "* 1" keeps every value but puts a binary operator in between, which is evaluated step by step.
        String[][] pairs = {
            {"sum by (job) (req_total)", "sum by (job) (req_total * 1)"},
            {"avg without (le) (rate(req_total[5m]))", "avg without (le) (rate(req_total[5m]) * 1)"},
            {"max(req_total offset 3m)", "max(req_total offset 3m * 1)"},
            {"min(rate(req_total[5m]))", "min(rate(req_total[5m]) * 1)"},
            {"count by (le) (req_total @ 1800)", "count by (le) (req_total @ 1800 * 1)"},
            {"group by (job) (req_total)", "group by (job) (req_total * 1)"},
            {"sum(increase(req_total[5m]))", "sum(increase(req_total[5m]) * 1)"},
        };
        for (String[] pair : pairs) {
            for (long step : new long[] {10_000, 60_000, 7 * MIN}) {
                QueryResult.MatrixResult streamed = engine.rangeQuery(store, tenant, pair[0], 0, 120 * MIN, step);
                QueryResult.MatrixResult stepwise = engine.rangeQuery(store, tenant, pair[1], 0, 120 * MIN, step);
                assertThat(streamed.series()).as(pair[0]).isNotEmpty().hasSameSizeAs(stepwise.series());
                for (int i = 0; i < streamed.series().size(); i++) {
                    QueryResult.RangeSeries a = streamed.series().get(i);
                    QueryResult.RangeSeries b = stepwise.series().get(i);
                    assertThat(a.labels()).as(pair[0]).isEqualTo(b.labels());
                    assertThat(a.timestampsMs()).as(pair[0]).isEqualTo(b.timestampsMs());
                    for (int k = 0; k < a.size(); k++) {
                        assertThat(Double.doubleToLongBits(a.values()[k]))
                                .as("%s step %d at %d", pair[0], step, a.timestampsMs()[k])
                                .isEqualTo(Double.doubleToLongBits(b.values()[k]));
                    }
                }
            }
        }
    }

    @Test
    void rangeFunctionSeriesSharingLabelsFailEvenAtDifferentStepsAsInPrometheus() {
        // A tenant of its own: the shared data's newest samples would make these too old to accept.
        TenantId tenant = TenantId.of(UUID.randomUUID());
        store.append(
                tenant,
                MetricsBatch.of(List.of(
                        new SeriesSamples(
                                Labels.of("__name__", "a", "x", "1"), List.of(new Sample(0, 1), new Sample(MIN, 2))),
                        new SeriesSamples(
                                Labels.of("__name__", "b", "x", "1"),
                                List.of(new Sample(20 * MIN, 1), new Sample(21 * MIN, 2))))));
        // Each instant is fine: only one of the two series has samples in any 2 m window.
        assertThat(((QueryResult.VectorResult) engine.instantQuery(store, tenant, "rate({x=\"1\"}[2m])", MIN))
                        .samples())
                .hasSize(1);
        assertThatThrownBy(() -> engine.rangeQuery(store, tenant, "rate({x=\"1\"}[2m])", 0, 30 * MIN, MIN))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("vector cannot contain metrics with the same labelset");
    }

    @Test
    void sampleLimitCountsEverySampleAStreamedSelectorLoadsAndThePointsItKeeps() {
        TenantId tenant = TenantId.of(UUID.randomUUID());
        store.append(tenant, MetricsBatch.of(List.of(counted(241))));
        String query = "count_over_time(counted[1h])";
        // 241 samples read plus the one point kept.
        PromqlEngine enough = new PromqlEngine(EngineOptions.DEFAULT.withMaxSamples(242));
        QueryResult.VectorResult result =
                (QueryResult.VectorResult) enough.instantQuery(store, tenant, query, 240 * 15_000L);
        assertThat(result.samples())
                .singleElement()
                .extracting(QueryResult.VectorSample::value)
                .isEqualTo(241.0);

        PromqlEngine tooFew = new PromqlEngine(EngineOptions.DEFAULT.withMaxSamples(241));
        assertThatThrownBy(() -> tooFew.instantQuery(store, tenant, query, 240 * 15_000L))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("too many samples")
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.EXECUTION);
        // Samples between the windows of a range query are read too, and count.
        assertThatThrownBy(() -> tooFew.rangeQuery(
                        store, tenant, "sum(count_over_time(counted[1m]))", 60_000, 240 * 15_000L, 10 * MIN))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("too many samples");
        // A long range at a fine step keeps far more points than it reads samples; they count too.
        PromqlEngine thousand = new PromqlEngine(EngineOptions.DEFAULT.withMaxSamples(1_000));
        assertThat(thousand.rangeQuery(store, tenant, query, 0, 240 * 15_000L, 15_000)
                        .series())
                .singleElement()
                .extracting(QueryResult.RangeSeries::size)
                .isEqualTo(241);
        assertThatThrownBy(() -> thousand.rangeQuery(store, tenant, query, 0, 240 * 15_000L, 1_000))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("too many samples");
    }

    @Test
    void aStreamedQueryPastItsDeadlineIsATimeout() {
        PromqlEngine expired = engine.withTimeout(Duration.ofMillis(-1));
        assertThatThrownBy(
                        () -> expired.rangeQuery(store, tenant, "sum by (job) (rate(req_total[5m]))", 0, 60 * MIN, MIN))
                .isInstanceOf(PromqlException.class)
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.TIMEOUT);
        assertThatThrownBy(() -> expired.instantQuery(store, tenant, "1 + 1", 0))
                .isInstanceOf(PromqlException.class)
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.TIMEOUT);
    }

    @Test
    void aRequestTimeoutOnlyShortensTheEnginesOwn() {
        PromqlEngine twoMinutes = new PromqlEngine();
        assertThat(twoMinutes.withTimeout(Duration.ofHours(1))).isSameAs(twoMinutes);
        assertThat(twoMinutes.withTimeout(Duration.ofSeconds(5))).isNotSameAs(twoMinutes);
        QueryResult.VectorResult result = (QueryResult.VectorResult)
                twoMinutes.withTimeout(Duration.ofSeconds(30)).instantQuery(store, tenant, "vector(1)", 0);
        assertThat(result.samples())
                .singleElement()
                .extracting(QueryResult.VectorSample::value)
                .isEqualTo(1.0);
    }

    private static SeriesSamples counted(int n) {
        List<Sample> samples = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            samples.add(new Sample(k * 15_000L, k));
        }
        return new SeriesSamples(Labels.of("__name__", "counted"), samples);
    }
}
