package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.PromqlException;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.storage.testkit.metrics.prometheus.DifferentialData;
import dev.nightjar.storage.testkit.metrics.prometheus.DifferentialQueries;
import dev.nightjar.storage.testkit.metrics.prometheus.PrometheusServer;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads identical samples into a real Prometheus 2.42 (remote write) and into Nightjar's TSDB, runs
 * every query of {@link DifferentialQueries} as instant queries at several times and as range
 * queries through both, and requires equal label sets and values within 1e-9 relative (or equal
 * error types).
 */
class PrometheusDifferentialTest {

    private static final long T0 = DifferentialData.T0;
    private static final long[] INSTANTS = {
        T0 + 65 * 60_000,
        T0 + 150 * 60_000 + 7_000,
        T0 + 3 * 3_600_000 + 4 * 60_000,
        T0 + 2 * 3_600_000,
        // the counter reset and flappy's return; one millisecond after temperature's NaN sample
        T0 + 90 * 60_000,
        T0 + 100 * 60_000 + 1
    };

    @TempDir
    Path dir;

    private final List<String> mismatches = new ArrayList<>();
    private int nonEmptyAnswers;
    private int errorAnswers;

    @Test
    void nightjarAnswersLikePrometheus() throws Exception {
        ExternalPiece.require(
                PrometheusServer.available(), "Prometheus 2.x at /usr/bin/prometheus (Debian package prometheus)");
        List<SeriesSamples> data = DifferentialData.build();
        TenantId tenant = TenantId.of(UUID.randomUUID());
        PromqlEngine engine = new PromqlEngine();
        try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), FreePorts.next());
                Tsdb tsdb = Tsdb.open(dir.resolve("nightjar"), TsdbOptions.DEFAULT)) {
            prometheus.remoteWriteInTimeOrder(data, 20 * 60_000, 50);
            tsdb.append(tenant, MetricsBatch.of(data));
            // The first two hours go to an on-disk block, the rest stays in the head.
            tsdb.flushBefore(tenant, T0 + 2 * 3_600_000);
            assertThat(tsdb.stats(tenant).blocks()).isEqualTo(1);

            int compared = 0;
            for (String query : DifferentialQueries.QUERIES) {
                for (long at : INSTANTS) {
                    compareInstant(prometheus, tsdb, tenant, engine, query, at);
                    compared++;
                }
                compareRange(
                        prometheus,
                        tsdb,
                        tenant,
                        engine,
                        query,
                        T0 + 20 * 60_000,
                        T0 + 3 * 3_600_000 + 10 * 60_000,
                        60_000);
                compareRange(prometheus, tsdb, tenant, engine, query, T0 + 101 * 60_000, T0 + 140 * 60_000, 37_000);
                // A coarse step from before the first sample to past the last, on an unaligned grid.
                compareRange(
                        prometheus,
                        tsdb,
                        tenant,
                        engine,
                        query,
                        T0 - 10 * 60_000 + 13_500,
                        T0 + 3 * 3_600_000 + 20 * 60_000,
                        7 * 60_000 + 13_000);
                compared += 3;
            }
            for (String query : DifferentialQueries.INSTANT_ONLY) {
                for (long at : INSTANTS) {
                    compareInstant(prometheus, tsdb, tenant, engine, query, at);
                    compared++;
                }
            }
            assertThat(compared).isGreaterThan(500);
            // Guard against a vacuous pass: most answers carry data, and the error cases were reached.
            assertThat(nonEmptyAnswers).isGreaterThan(compared * 2 / 3);
            assertThat(errorAnswers).isGreaterThanOrEqualTo(5 * 6);
        }
        assertThat(mismatches)
                .as("queries answered differently from Prometheus")
                .isEmpty();
    }

    private void compareInstant(
            PrometheusServer prometheus, Tsdb tsdb, TenantId tenant, PromqlEngine engine, String query, long at)
            throws Exception {
        String where = "instant " + query + " @" + (at - T0) / 1000 + "s";
        PrometheusServer.Answer expected = prometheus.instant(query, at);
        QueryResult actual;
        try {
            actual = engine.instantQuery(tsdb, tenant, query, at);
        } catch (PromqlException e) {
            errorAnswers++;
            if (expected.errorType() == null
                    || !expected.errorType().equals(e.type().apiName())) {
                mismatches.add(where + ": nightjar failed (" + e.type().apiName() + ": " + e.getMessage()
                        + ") but prometheus answered " + describe(expected));
            }
            return;
        }
        if (expected.errorType() != null) {
            mismatches.add(where + ": prometheus failed (" + expected.errorType() + ": " + expected.error()
                    + ") but nightjar answered");
            return;
        }
        if (!expected.resultType().equals(actual.resultType())) {
            mismatches.add(where + ": result type " + actual.resultType() + " instead of " + expected.resultType());
            return;
        }
        switch (actual) {
            case QueryResult.ScalarResult s -> {
                if (!close(expected.scalar(), s.value())) {
                    mismatches.add(where + ": scalar " + s.value() + " instead of " + expected.scalar());
                }
            }
            case QueryResult.VectorResult v -> {
                List<PrometheusServer.Series> mine = new ArrayList<>();
                for (QueryResult.VectorSample s : v.samples()) {
                    mine.add(new PrometheusServer.Series(
                            s.labels(), new long[] {s.timestampMs()}, new double[] {s.value()}));
                }
                compareSeries(where, expected.series(), mine, ordered(query));
            }
            case QueryResult.MatrixResult m -> compareSeries(where, expected.series(), toSeries(m), false);
            case QueryResult.StringResult s -> {}
        }
    }

    private void compareRange(
            PrometheusServer prometheus,
            Tsdb tsdb,
            TenantId tenant,
            PromqlEngine engine,
            String query,
            long start,
            long end,
            long step)
            throws Exception {
        String where = "range " + query + " step " + step / 1000 + "s";
        PrometheusServer.Answer expected = prometheus.range(query, start, end, step);
        QueryResult.MatrixResult actual;
        try {
            actual = engine.rangeQuery(tsdb, tenant, query, start, end, step);
        } catch (PromqlException e) {
            errorAnswers++;
            if (expected.errorType() == null
                    || !expected.errorType().equals(e.type().apiName())) {
                mismatches.add(where + ": nightjar failed (" + e.type().apiName() + ": " + e.getMessage()
                        + ") but prometheus answered " + describe(expected));
            }
            return;
        }
        if (expected.errorType() != null) {
            mismatches.add(where + ": prometheus failed (" + expected.errorType() + ": " + expected.error()
                    + ") but nightjar answered");
            return;
        }
        compareSeries(where, expected.series(), toSeries(actual), false);
    }

    /**
     * Whether an instant query's result order is defined: sort() and sort_desc() order by value, and
     * topk() and bottomk() return each group's samples strongest first, groups in the order their
     * first sample came. (Prometheus orders nothing else, nor any range query result.)
     */
    private static boolean ordered(String query) {
        return query.startsWith("sort") || query.startsWith("topk") || query.startsWith("bottomk");
    }

    private static List<PrometheusServer.Series> toSeries(QueryResult.MatrixResult m) {
        List<PrometheusServer.Series> out = new ArrayList<>();
        for (QueryResult.RangeSeries s : m.series()) {
            out.add(new PrometheusServer.Series(s.labels(), s.timestampsMs(), s.values()));
        }
        return out;
    }

    private void compareSeries(
            String where,
            List<PrometheusServer.Series> expected,
            List<PrometheusServer.Series> actual,
            boolean ordered) {
        List<PrometheusServer.Series> e = new ArrayList<>(expected);
        List<PrometheusServer.Series> a = new ArrayList<>(actual);
        if (!ordered) {
            e.sort(Comparator.comparing(PrometheusServer.Series::labels));
            a.sort(Comparator.comparing(PrometheusServer.Series::labels));
        }
        if (!e.isEmpty()) {
            nonEmptyAnswers++;
        }
        List<Labels> el = e.stream().map(PrometheusServer.Series::labels).toList();
        List<Labels> al = a.stream().map(PrometheusServer.Series::labels).toList();
        if (!el.equals(al)) {
            mismatches.add(where + ": series " + al + " instead of " + el);
            return;
        }
        for (int i = 0; i < e.size(); i++) {
            PrometheusServer.Series x = e.get(i);
            PrometheusServer.Series y = a.get(i);
            if (x.timestampsMs().length != y.timestampsMs().length) {
                mismatches.add(where + " " + x.labels() + ": " + y.timestampsMs().length + " points instead of "
                        + x.timestampsMs().length);
                continue;
            }
            for (int k = 0; k < x.timestampsMs().length; k++) {
                if (x.timestampsMs()[k] != y.timestampsMs()[k] || !close(x.values()[k], y.values()[k])) {
                    mismatches.add(where + " " + x.labels() + ": point " + k + " is (" + y.timestampsMs()[k] + ", "
                            + y.values()[k] + ") instead of (" + x.timestampsMs()[k] + ", " + x.values()[k] + ")");
                    break;
                }
            }
        }
    }

    static boolean close(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (expected == actual) {
            return true;
        }
        double diff = Math.abs(expected - actual);
        return diff <= 1e-9 * Math.max(Math.abs(expected), Math.abs(actual)) || diff < 1e-12;
    }

    private static String describe(PrometheusServer.Answer a) {
        return a.errorType() != null
                ? a.errorType() + ": " + a.error()
                : a.resultType() + " " + a.series().size() + " series";
    }
}
