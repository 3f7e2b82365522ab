package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.Values.Matrix;
import dev.nightjar.promql.Values.Sample;
import dev.nightjar.promql.Values.Scalar;
import dev.nightjar.promql.Values.Str;
import dev.nightjar.promql.Values.Value;
import dev.nightjar.promql.Values.Vector;
import dev.nightjar.promql.Values.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** Dispatches function calls to their implementations. */
final class Functions {

    private final Evaluator ev;

    Functions(Evaluator ev) {
        this.ev = ev;
    }

    Value call(Expr.Call c, long t) {
        Function f = c.function();
        List<Expr> args = c.args();
        switch (f) {
            case TIME -> {
                return new Scalar(t / 1000.0);
            }
            case PI -> {
                return new Scalar(Math.PI);
            }
            case VECTOR -> {
                return new Vector(List.of(new Sample(Labels.EMPTY, t, ev.scalar(args.get(0), t))));
            }
            case SCALAR_ -> {
                List<Sample> v = ev.vector(args.get(0), t);
                return new Scalar(v.size() == 1 ? v.getFirst().value() : Double.NaN);
            }
            default -> {}
        }
        int rangeArg = f.argTypes().indexOf(ValueType.RANGE_VECTOR);
        if (rangeArg >= 0) {
            return new Vector(Evaluator.unique(rangeCall(f, args, rangeArg, t)));
        }
        return new Vector(Evaluator.unique(instantCall(c, args, t)));
    }

    private List<Sample> rangeCall(Function f, List<Expr> args, int rangeArg, long t) {
        double[] scalars = new double[args.size()];
        int k = 0;
        for (int i = 0; i < args.size(); i++) {
            if (i != rangeArg) {
                scalars[k++] = ev.scalar(args.get(i), t);
            }
        }
        Expr arg = unwrap(args.get(rangeArg));
        Matrix m = arg instanceof Expr.Subquery s
                ? ev.subquery(s, t)
                : ev.selectors.rangeSelect((Expr.MatrixSelector) arg, t);
        if (f == Function.ABSENT_OVER_TIME) {
            return m.windows().isEmpty() ? List.of(new Sample(InstantFunctions.absentLabels(arg), t, 1)) : List.of();
        }
        List<Sample> out = new ArrayList<>(m.windows().size());
        for (Window w : m.windows()) {
            Double value = RangeFunctions.apply(f, w, m, t, scalars);
            if (value != null) {
                Labels labels =
                        f == Function.LAST_OVER_TIME ? w.labels() : w.labels().withoutMetricName();
                out.add(new Sample(labels, t, value));
            }
        }
        return out;
    }

    private static Expr unwrap(Expr e) {
        while (e instanceof Expr.Paren p) {
            e = p.expr();
        }
        return e;
    }

    private List<Sample> instantCall(Expr.Call c, List<Expr> args, long t) {
        Function f = c.function();
        DoubleUnaryOperator math = InstantFunctions.math(f);
        if (math != null) {
            return InstantFunctions.map(ev.vector(args.get(0), t), t, math);
        }
        return switch (f) {
            case ABSENT ->
                ev.vector(args.get(0), t).isEmpty()
                        ? List.of(new Sample(InstantFunctions.absentLabels(args.get(0)), t, 1))
                        : List.of();
            case CLAMP -> {
                double min = ev.scalar(args.get(1), t);
                double max = ev.scalar(args.get(2), t);
                List<Sample> in = ev.vector(args.get(0), t);
                yield max < min ? List.of() : InstantFunctions.map(in, t, v -> goMax(min, goMin(max, v)));
            }
            case CLAMP_MAX -> {
                double max = ev.scalar(args.get(1), t);
                yield InstantFunctions.map(ev.vector(args.get(0), t), t, v -> goMin(max, v));
            }
            case CLAMP_MIN -> {
                double min = ev.scalar(args.get(1), t);
                yield InstantFunctions.map(ev.vector(args.get(0), t), t, v -> goMax(min, v));
            }
            case ROUND -> {
                double toNearest = args.size() > 1 ? ev.scalar(args.get(1), t) : 1;
                yield InstantFunctions.map(ev.vector(args.get(0), t), t, v -> InstantFunctions.round(v, toNearest));
            }
            case MINUTE, HOUR, DAY_OF_MONTH, DAY_OF_WEEK, DAY_OF_YEAR, DAYS_IN_MONTH, MONTH, YEAR -> {
                List<Sample> in =
                        args.isEmpty() ? List.of(new Sample(Labels.EMPTY, t, t / 1000.0)) : ev.vector(args.get(0), t);
                yield InstantFunctions.map(in, t, InstantFunctions.date(f));
            }
            case SORT -> InstantFunctions.sort(ev.vector(args.get(0), t), false);
            case SORT_DESC -> InstantFunctions.sort(ev.vector(args.get(0), t), true);
            case TIMESTAMP -> {
                boolean raw = unwrap(args.get(0)) instanceof Expr.VectorSelector;
                List<Sample> out = new ArrayList<>();
                for (Sample s : ev.vector(args.get(0), t)) {
                    out.add(new Sample(s.labels().withoutMetricName(), t, (raw ? s.t() : t) / 1000.0));
                }
                yield out;
            }
            case HISTOGRAM_COUNT, HISTOGRAM_SUM, HISTOGRAM_FRACTION -> {
                // These read native histogram samples only; every sample a metrics store holds is a
                // float, which Prometheus skips, so the result is empty (the arguments are still
                // evaluated, for their errors).
                for (Expr arg : args) {
                    ev.eval(arg, t);
                }
                yield List.of();
            }
            case HISTOGRAM_QUANTILE ->
                HistogramQuantile.apply(ev.scalar(args.get(0), t), ev.vector(args.get(1), t), t, ev.buckets(c));
            case LABEL_REPLACE ->
                InstantFunctions.labelReplace(
                        ev.vector(args.get(0), t),
                        t,
                        string(args.get(1), t),
                        string(args.get(2), t),
                        string(args.get(3), t),
                        string(args.get(4), t));
            case LABEL_JOIN -> {
                List<String> sources = new ArrayList<>();
                for (int i = 3; i < args.size(); i++) {
                    sources.add(string(args.get(i), t));
                }
                yield InstantFunctions.labelJoin(
                        ev.vector(args.get(0), t), t, string(args.get(1), t), string(args.get(2), t), sources);
            }
            default -> throw new IllegalStateException("unhandled function " + f);
        };
    }

    private String string(Expr e, long t) {
        return ((Str) ev.eval(e, t)).value();
    }

    /** Go's math.Min: -Inf wins over NaN, and -0 is below +0. */
    static double goMin(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY || b == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.min(a, b);
    }

    /** Go's math.Max: +Inf wins over NaN, and +0 is above -0. */
    static double goMax(double a, double b) {
        if (a == Double.POSITIVE_INFINITY || b == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(a, b);
    }
}
