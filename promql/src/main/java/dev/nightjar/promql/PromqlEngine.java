package dev.nightjar.promql;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.QueryResult.MatrixResult;
import dev.nightjar.promql.QueryResult.RangeSeries;
import dev.nightjar.promql.QueryResult.ScalarResult;
import dev.nightjar.promql.QueryResult.StringResult;
import dev.nightjar.promql.QueryResult.VectorResult;
import dev.nightjar.promql.QueryResult.VectorSample;
import dev.nightjar.promql.Values.Matrix;
import dev.nightjar.promql.Values.Sample;
import dev.nightjar.promql.Values.Scalar;
import dev.nightjar.promql.Values.Str;
import dev.nightjar.promql.Values.Value;
import dev.nightjar.promql.Values.Vector;
import dev.nightjar.promql.Values.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs PromQL instant and range queries over any {@link MetricsReader}, for one tenant at a time.
 * Thread-safe; keep one per process.
 */
public final class PromqlEngine {

    private final EngineOptions options;

    public PromqlEngine(EngineOptions options) {
        this.options = options;
    }

    public PromqlEngine() {
        this(EngineOptions.DEFAULT);
    }

    /** This engine with a query timeout no longer than {@code timeout} (a per-request budget). */
    public PromqlEngine withTimeout(Duration timeout) {
        return timeout.compareTo(options.timeout()) >= 0 ? this : new PromqlEngine(options.withTimeout(timeout));
    }

    /** Evaluates {@code query} at one instant ({@code timeMs}, epoch milliseconds). */
    public QueryResult instantQuery(MetricsReader reader, TenantId tenant, String query, long timeMs) {
        return instantQuery(reader, tenant, query, timeMs, stats -> {});
    }

    /** {@link #instantQuery(MetricsReader, TenantId, String, long)}, also reporting what it cost. */
    public QueryResult instantQuery(
            MetricsReader reader, TenantId tenant, String query, long timeMs, Consumer<QueryStats> stats) {
        long begin = System.nanoTime();
        Expr expr = Parser.parse(query);
        Evaluator ev = new Evaluator(reader, tenant, options, timeMs, timeMs, 1);
        ev.streamed.mark(expr);
        ev.selectors.plan(expr, timeMs, timeMs);
        ev.selectors.load();
        ev.checkDeadline();
        long prepared = System.nanoTime();
        QueryResult result = instantResult(ev.eval(expr, timeMs), timeMs);
        stats.accept(ev.selectors.stats(begin, prepared));
        return result;
    }

    private static QueryResult instantResult(Value value, long timeMs) {
        return switch (value) {
            case Scalar s -> new ScalarResult(timeMs, s.value());
            case Str s -> new StringResult(timeMs, s.value());
            case Vector v -> {
                List<VectorSample> out = new ArrayList<>(v.samples().size());
                for (Sample s : v.samples()) {
                    out.add(new VectorSample(s.labels(), timeMs, s.value()));
                }
                yield new VectorResult(out);
            }
            case Matrix m -> {
                List<RangeSeries> out = new ArrayList<>();
                for (Window w : m.windows()) {
                    out.add(new RangeSeries(
                            w.labels(),
                            Arrays.copyOfRange(w.ts(), w.from(), w.to()),
                            Arrays.copyOfRange(w.vs(), w.from(), w.to())));
                }
                out.sort((a, b) -> a.labels().compareTo(b.labels()));
                yield new MatrixResult(out);
            }
        };
    }

    /** Evaluates {@code query} at every step from {@code startMs} to {@code endMs} inclusive. */
    public MatrixResult rangeQuery(
            MetricsReader reader, TenantId tenant, String query, long startMs, long endMs, long stepMs) {
        return rangeQuery(reader, tenant, query, startMs, endMs, stepMs, stats -> {});
    }

    /** {@link #rangeQuery(MetricsReader, TenantId, String, long, long, long)}, also reporting what it cost. */
    public MatrixResult rangeQuery(
            MetricsReader reader,
            TenantId tenant,
            String query,
            long startMs,
            long endMs,
            long stepMs,
            Consumer<QueryStats> stats) {
        long begin = System.nanoTime();
        if (endMs < startMs) {
            throw PromqlException.badData("end timestamp must not be before start time");
        }
        if (stepMs <= 0) {
            throw PromqlException.badData(
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((endMs - startMs) / stepMs > options.maxPoints()) {
            throw PromqlException.badData("exceeded maximum resolution of " + options.maxPoints()
                    + " points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        Expr expr = Parser.parse(query);
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.INSTANT_VECTOR) {
            throw PromqlException.badData("invalid expression type \"" + expr.type()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        Evaluator ev = new Evaluator(reader, tenant, options, startMs, endMs, stepMs);
        ev.streamed.mark(expr);
        ev.selectors.plan(expr, startMs, endMs);
        ev.selectors.load();
        long prepared = System.nanoTime();
        MatrixResult result = ev.streamed.contains(expr)
                ? series(ev.streamed.result(expr), startMs, stepMs)
                : stepByStep(ev, expr, startMs, endMs, stepMs);
        stats.accept(ev.selectors.stats(begin, prepared));
        return result;
    }

    private static MatrixResult stepByStep(Evaluator ev, Expr expr, long startMs, long endMs, long stepMs) {
        int steps = (int) ((endMs - startMs) / stepMs) + 1;
        Map<Labels, SeriesBuilder> series = new TreeMap<>();
        for (long t = startMs; t <= endMs; t += stepMs) {
            ev.checkDeadline();
            Value value = ev.eval(expr, t);
            if (value instanceof Scalar s) {
                series.computeIfAbsent(Labels.EMPTY, l -> new SeriesBuilder(steps))
                        .add(t, s.value());
            } else {
                for (Sample s : ((Vector) value).samples()) {
                    series.computeIfAbsent(s.labels(), l -> new SeriesBuilder(steps))
                            .add(t, s.value());
                }
            }
        }
        List<RangeSeries> out = new ArrayList<>(series.size());
        series.forEach(
                (labels, b) -> out.add(new RangeSeries(labels, Arrays.copyOf(b.ts, b.n), Arrays.copyOf(b.vs, b.n))));
        return new MatrixResult(out);
    }

    /** A streamed root's grid-wide result as series, without going through per-step vectors. */
    private static MatrixResult series(StepMatrix m, long startMs, long stepMs) {
        int[] counts = new int[m.labels.length];
        for (int i = 0; i < m.points(); i++) {
            counts[m.series[i]]++;
        }
        long[][] ts = new long[counts.length][];
        double[][] vs = new double[counts.length][];
        int[] filled = new int[counts.length];
        for (int k = 0; k < m.steps; k++) {
            long t = startMs + k * stepMs;
            for (int i = m.offsets[k]; i < m.offsets[k + 1]; i++) {
                int s = m.series[i];
                if (ts[s] == null) {
                    ts[s] = new long[counts[s]];
                    vs[s] = new double[counts[s]];
                }
                ts[s][filled[s]] = t;
                vs[s][filled[s]++] = m.values[i];
            }
        }
        List<RangeSeries> out = new ArrayList<>();
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] > 0) {
                out.add(new RangeSeries(m.labels[s], ts[s], vs[s]));
            }
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return new MatrixResult(out);
    }

    /** Parses and type-checks without running (for rule validation); throws {@link PromqlException}. */
    public static Expr parse(String query) {
        return Parser.parse(query);
    }

    private static final class SeriesBuilder {
        final long[] ts;
        final double[] vs;
        int n;

        SeriesBuilder(int capacity) {
            ts = new long[capacity];
            vs = new double[capacity];
        }

        void add(long t, double v) {
            ts[n] = t;
            vs[n++] = v;
        }
    }
}
