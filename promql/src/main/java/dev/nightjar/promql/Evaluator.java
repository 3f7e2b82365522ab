package dev.nightjar.promql;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.Values.Matrix;
import dev.nightjar.promql.Values.Sample;
import dev.nightjar.promql.Values.Scalar;
import dev.nightjar.promql.Values.Str;
import dev.nightjar.promql.Values.Value;
import dev.nightjar.promql.Values.Vector;
import dev.nightjar.promql.Values.Window;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates an AST at one time after another. Before the first step it works out, for every
 * selector, the time range the whole query needs and loads those samples once (counting them
 * against the sample limit); each step then reads from memory. Range functions over a matrix
 * selector, selectors right under an aggregation, and sum/avg/count/min/max/group above either are
 * the exception ({@link StreamedNodes}): they are evaluated for every step of the query grid at once,
 * streaming one series at a time, and their selectors are never loaded whole.
 */
final class Evaluator {

    private final EngineOptions options;
    private final long queryStart;
    private final long queryEnd;
    private final long gridStep;
    private final int gridSteps;
    final StreamedNodes streamed = new StreamedNodes(this);
    final SelectorData selectors;
    private final long deadlineNanos;
    private final Map<Expr.Subquery, TreeMap<Long, List<Sample>>> subqueryMemo = new IdentityHashMap<>();
    private final Map<Expr.Aggregate, Map<Labels, Labels>> groupKeys = new IdentityHashMap<>();
    private final Map<Expr.Call, Map<Labels, HistogramQuantile.Bucket>> histogramBuckets = new IdentityHashMap<>();

    /** Evaluates at {@code queryStart}, {@code queryStart + step}, … up to {@code queryEnd}. */
    Evaluator(MetricsReader reader, TenantId tenant, EngineOptions options, long queryStart, long queryEnd, long step) {
        this.options = options;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.gridStep = step;
        this.gridSteps = (int) ((queryEnd - queryStart) / step) + 1;
        this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
        this.selectors = new SelectorData(this, reader, tenant, options);
    }

    long lookbackMs() {
        return options.lookbackDelta().toMillis();
    }

    int gridSteps() {
        return gridSteps;
    }

    long gridTime(int k) {
        return queryStart + k * gridStep;
    }

    /** The step index of {@code t}, or -1 when {@code t} is not on the query grid. */
    int gridIndex(long t) {
        long offset = t - queryStart;
        if (offset < 0 || offset % gridStep != 0 || offset / gridStep >= gridSteps) {
            return -1;
        }
        return (int) (offset / gridStep);
    }

    long resolve(Expr.At at, long t) {
        if (at == null) {
            return t;
        }
        return switch (at.kind()) {
            case TIME -> at.timeMs();
            case START -> queryStart;
            case END -> queryEnd;
        };
    }

    static Expr unwrap(Expr e) {
        while (e instanceof Expr.Paren p) {
            e = p.expr();
        }
        return e;
    }

    void checkDeadline() {
        if (System.nanoTime() > deadlineNanos) {
            throw new PromqlException(ErrorType.TIMEOUT, "query timed out in expression evaluation");
        }
    }

    Value eval(Expr e, long t) {
        return switch (e) {
            case Expr.NumberLiteral n -> new Scalar(n.value());
            case Expr.StringLiteral s -> new Str(s.value());
            case Expr.Paren p -> eval(p.expr(), t);
            case Expr.VectorSelector v -> new Vector(selectors.instantSelect(v, t));
            case Expr.MatrixSelector m -> selectors.rangeSelect(m, t);
            case Expr.Subquery s -> subquery(s, t);
            case Expr.Unary u -> negate(eval(u.expr(), t), t);
            case Expr.Binary b -> binary(b, t);
            case Expr.Aggregate a -> streamed.contains(a) ? streamed.at(a, t) : aggregate(a, t);
            case Expr.Call c -> streamed.contains(c) ? streamed.at(c, t) : new Functions(this).call(c, t);
        };
    }

    List<Sample> vector(Expr e, long t) {
        return ((Vector) eval(e, t)).samples();
    }

    double scalar(Expr e, long t) {
        return ((Scalar) eval(e, t)).value();
    }

    Matrix subquery(Expr.Subquery s, long t) {
        long end = resolve(s.at(), t) - s.offsetMs();
        long start = end - s.rangeMs();
        long step = s.stepMs() > 0 ? s.stepMs() : options.defaultSubqueryStep().toMillis();
        long first = Math.floorDiv(start, step) * step;
        if (first < start) {
            first += step;
        }
        TreeMap<Long, List<Sample>> memo = subqueryMemo.computeIfAbsent(s, k -> new TreeMap<>());
        memo.headMap(first).clear();
        Map<Labels, long[]> times = new LinkedHashMap<>();
        Map<Labels, double[]> values = new LinkedHashMap<>();
        Map<Labels, Integer> sizes = new LinkedHashMap<>();
        int points = (int) ((end - first) / step) + 1;
        for (long it = first; it <= end; it += step) {
            checkDeadline();
            final long at = it;
            List<Sample> vector = memo.computeIfAbsent(it, k -> vector(s.expr(), at));
            for (Sample sample : vector) {
                long[] ts = times.computeIfAbsent(sample.labels(), l -> new long[points]);
                double[] vs = values.computeIfAbsent(sample.labels(), l -> new double[points]);
                int n = sizes.getOrDefault(sample.labels(), 0);
                ts[n] = it;
                vs[n] = sample.value();
                sizes.put(sample.labels(), n + 1);
            }
        }
        List<Window> windows = new ArrayList<>(times.size());
        for (Map.Entry<Labels, long[]> e : times.entrySet()) {
            windows.add(new Window(e.getKey(), e.getValue(), values.get(e.getKey()), 0, sizes.get(e.getKey())));
        }
        return new Matrix(windows, start, end, s.rangeMs());
    }

    private Value negate(Value v, long t) {
        if (v instanceof Scalar s) {
            return new Scalar(-s.value());
        }
        List<Sample> out = new ArrayList<>();
        for (Sample s : ((Vector) v).samples()) {
            out.add(new Sample(s.labels().withoutMetricName(), t, -s.value()));
        }
        return new Vector(unique(out));
    }

    private Value binary(Expr.Binary b, long t) {
        Value l = eval(b.lhs(), t);
        Value r = eval(b.rhs(), t);
        if (l instanceof Scalar ls && r instanceof Scalar rs) {
            return new Scalar(BinaryOperations.scalarScalar(b.op(), ls.value(), rs.value(), b.returnBool()));
        }
        List<Sample> out;
        if (l instanceof Scalar ls) {
            out = BinaryOperations.vectorScalar(b.op(), ((Vector) r).samples(), ls.value(), true, b.returnBool(), t);
        } else if (r instanceof Scalar rs) {
            out = BinaryOperations.vectorScalar(b.op(), ((Vector) l).samples(), rs.value(), false, b.returnBool(), t);
        } else if (b.op().isSetOperator()) {
            out = BinaryOperations.setOperation(
                    b.op(), ((Vector) l).samples(), ((Vector) r).samples(), b.matching(), t);
        } else {
            out = BinaryOperations.vectorVector(
                    b.op(), ((Vector) l).samples(), ((Vector) r).samples(), b.matching(), b.returnBool(), t);
        }
        return new Vector(unique(out));
    }

    private Value aggregate(Expr.Aggregate a, long t) {
        double scalarParam = Double.NaN;
        String stringParam = null;
        if (a.param() != null) {
            Value p = eval(a.param(), t);
            if (p instanceof Scalar s) {
                scalarParam = s.value();
            } else {
                stringParam = ((Str) p).value();
            }
        }
        // Series keep their Labels instance from step to step, so group keys are computed once each.
        Map<Labels, Labels> keys = groupKeys.computeIfAbsent(a, k -> new IdentityHashMap<>());
        if (keys.size() > 200_000) {
            keys.clear(); // labels made fresh at every step (label_replace) would otherwise pile up
        }
        return new Vector(Aggregations.apply(
                a,
                vector(a.expr(), t),
                t,
                scalarParam,
                stringParam,
                labels -> keys.computeIfAbsent(labels, l -> Aggregations.groupKey(a, l, null))));
    }

    /** histogram_quantile's parsed buckets for one call, remembered per series labels instance. */
    java.util.function.Function<Labels, HistogramQuantile.Bucket> buckets(Expr.Call call) {
        Map<Labels, HistogramQuantile.Bucket> known =
                histogramBuckets.computeIfAbsent(call, k -> new IdentityHashMap<>());
        if (known.size() > 200_000) {
            known.clear(); // labels made fresh at every step would otherwise pile up
        }
        return labels -> known.computeIfAbsent(labels, HistogramQuantile.Bucket::of);
    }

    /** Prometheus refuses a vector holding two samples with the same labels. */
    static List<Sample> unique(List<Sample> samples) {
        if (samples.size() < 2) {
            return samples;
        }
        Set<Labels> seen = new HashSet<>(samples.size() * 2);
        for (Sample s : samples) {
            if (!seen.add(s.labels())) {
                throw PromqlException.execution("vector cannot contain metrics with the same labelset");
            }
        }
        return samples;
    }
}
