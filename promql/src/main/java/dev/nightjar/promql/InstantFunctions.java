package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** Element-wise functions on instant vectors. */
final class InstantFunctions {

    private InstantFunctions() {}

    static DoubleUnaryOperator math(Function f) {
        return switch (f) {
            case ABS -> Math::abs;
            case CEIL -> Math::ceil;
            case FLOOR -> Math::floor;
            case EXP -> Math::exp;
            case LN -> Math::log;
            case LOG2 -> InstantFunctions::log2;
            case LOG10 -> v -> StrictMath.log(v) * LOG10_E;
            case SQRT -> Math::sqrt;
            case SGN -> v -> v > 0 ? 1 : v < 0 ? -1 : v;
            case ACOS -> Math::acos;
            case ACOSH -> InstantFunctions::acosh;
            case ASIN -> Math::asin;
            case ASINH -> InstantFunctions::asinh;
            case ATAN -> Math::atan;
            case ATANH -> InstantFunctions::atanh;
            case COS -> Math::cos;
            case COSH -> Math::cosh;
            case SIN -> Math::sin;
            case SINH -> Math::sinh;
            case TAN -> Math::tan;
            case TANH -> Math::tanh;
            case DEG -> v -> v * 180 / Math.PI;
            case RAD -> v -> v * Math.PI / 180;
            default -> null;
        };
    }

    private static final double LN2 = 0.693147180559945309417232121458176568;
    private static final double LOG2_E = 1.442695040888963407359924681001892137426645954152985934135;
    private static final double LOG10_E = 0.434294481903251827651128918916605082294397005803666566114;

    /**
     * Go's {@code math.Log2}, which Prometheus' {@code log2} calls: the mantissa's natural log over ln 2 plus the
     * exponent, exact for powers of two ({@code log10} is Go's {@code Log(v) * (1 / Ln10)}). {@code Math.log(v) /
     * Math.log(2)} and {@code Math.log10} differ from them in the last bit for many values.
     */
    static double log2(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
            return StrictMath.log(v) * LOG2_E;
        }
        int exponent = Math.getExponent(v);
        double x = v;
        if (exponent == Double.MIN_EXPONENT - 1) {
            // Subnormal: normalise first.
            x = v * 0x1p52;
            exponent = Math.getExponent(x) - 52;
        }
        // Go's Frexp: v = fraction * 2^(exponent + 1), fraction in [0.5, 1).
        double fraction = Math.scalb(x, -Math.getExponent(x) - 1);
        if (fraction == 0.5) {
            return exponent;
        }
        return StrictMath.log(fraction) * LOG2_E + (exponent + 1);
    }

    private static final double LARGE = 0x1p28;

    // The inverse hyperbolic functions use the same case split as Go's math package (fdlibm's), so
    // huge arguments give log(x) + ln 2 instead of overflowing to infinity.

    private static double asinh(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double a = Math.abs(v);
        double r;
        if (a > LARGE) {
            r = Math.log(a) + LN2;
        } else if (a > 2) {
            r = Math.log(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
        } else if (a < 0x1p-28) {
            return v;
        } else {
            r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        }
        return v < 0 ? -r : r;
    }

    private static double acosh(double v) {
        if (v < 1 || Double.isNaN(v)) {
            return Double.NaN;
        }
        if (v == 1) {
            return 0;
        }
        if (v >= LARGE) {
            return Math.log(v) + LN2;
        }
        if (v > 2) {
            return Math.log(2 * v - 1 / (v + Math.sqrt(v * v - 1)));
        }
        double t = v - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    private static double atanh(double v) {
        if (v < -1 || v > 1 || Double.isNaN(v)) {
            return Double.NaN;
        }
        if (v == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (v == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        double a = Math.abs(v);
        double r;
        if (a < 0x1p-28) {
            return v;
        } else if (a < 0.5) {
            double twice = a + a;
            r = 0.5 * Math.log1p(twice + twice * a / (1 - a));
        } else {
            r = 0.5 * Math.log1p((a + a) / (1 - a));
        }
        return v < 0 ? -r : r;
    }

    static List<Sample> map(List<Sample> in, long t, DoubleUnaryOperator op) {
        List<Sample> out = new ArrayList<>(in.size());
        for (Sample s : in) {
            out.add(new Sample(s.labels().withoutMetricName(), t, op.applyAsDouble(s.value())));
        }
        return out;
    }

    static double round(double v, double toNearest) {
        double inverse = 1.0 / toNearest;
        return Math.floor(v * inverse + 0.5) / inverse;
    }

    /** minute(), hour(), …: the value read as Unix seconds, in UTC, with Go's conversion ({@link GoTime}). */
    static DoubleUnaryOperator date(Function f) {
        return v -> {
            GoTime d = GoTime.ofUnixSeconds(v);
            return switch (f) {
                case MINUTE -> d.minute;
                case HOUR -> d.hour;
                case DAY_OF_MONTH -> d.day;
                case DAY_OF_WEEK -> d.weekday;
                case DAY_OF_YEAR -> d.yearDay;
                case DAYS_IN_MONTH -> d.daysInMonth();
                case MONTH -> d.month;
                case YEAR -> d.year;
                default -> throw new IllegalStateException(f.name());
            };
        };
    }

    /** sort / sort_desc: by value, NaN last either way, ties and NaNs placed as Prometheus does. */
    static List<Sample> sort(List<Sample> in, boolean descending) {
        List<Sample> out = new ArrayList<>(in);
        GoOrder.sort(out, GoOrder.reversed(descending ? GoOrder.BY_VALUE : GoOrder.BY_VALUE_REVERSED));
        return out;
    }

    static List<Sample> labelReplace(
            List<Sample> in, long t, String dst, String replacement, String src, String regex) {
        java.util.regex.Pattern pattern;
        Re2.Translation re2;
        try {
            re2 = Re2.translate(regex);
            pattern = java.util.regex.Pattern.compile(re2.java());
        } catch (Re2.SyntaxError | java.util.regex.PatternSyntaxException e) {
            throw PromqlException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!Labels.isValidLabelName(dst)) {
            throw PromqlException.execution("invalid destination label name in label_replace(): " + dst);
        }
        List<Sample> out = new ArrayList<>(in.size());
        for (Sample s : in) {
            java.util.regex.Matcher m = pattern.matcher(s.labels().get(src));
            Labels labels = s.labels();
            if (m.matches()) {
                labels = labels.with(dst, GoTemplate.expand(replacement, m, re2.groupNames()));
            }
            out.add(new Sample(labels, t, s.value()));
        }
        return out;
    }

    static List<Sample> labelJoin(List<Sample> in, long t, String dst, String separator, List<String> sources) {
        if (!Labels.isValidLabelName(dst)) {
            throw PromqlException.execution("invalid destination label name in label_join(): " + dst);
        }
        for (String src : sources) {
            if (!Labels.isValidLabelName(src)) {
                throw PromqlException.execution("invalid source label name in label_join(): " + src);
            }
        }
        List<Sample> out = new ArrayList<>(in.size());
        for (Sample s : in) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    joined.append(separator);
                }
                joined.append(s.labels().get(sources.get(i)));
            }
            out.add(new Sample(s.labels().with(dst, joined.toString()), t, s.value()));
        }
        return out;
    }

    /** The labels absent() reports: the selector's single equality matchers, the name excluded. */
    static Labels absentLabels(Expr arg) {
        Expr.VectorSelector selector = switch (arg) {
            case Expr.VectorSelector v -> v;
            case Expr.MatrixSelector m -> m.selector();
            default -> null;
        };
        if (selector == null) {
            return Labels.EMPTY;
        }
        // In matcher order, as Prometheus: the first equality matcher of a label sets it; any other
        // matcher of that label, before or after, and any later equality remove it (a regex before
        // the equality does not stop the equality from setting it).
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        java.util.Set<String> set = new java.util.HashSet<>();
        for (dev.nightjar.core.metrics.Matcher m : selector.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == dev.nightjar.core.metrics.MatchType.EQUAL && set.add(m.name())) {
                labels.put(m.name(), m.value());
            } else {
                labels.remove(m.name());
            }
        }
        return Labels.from(labels);
    }
}
