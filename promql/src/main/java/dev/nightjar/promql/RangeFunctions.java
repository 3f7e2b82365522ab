package dev.nightjar.promql;

import dev.nightjar.promql.Values.Matrix;
import dev.nightjar.promql.Values.Window;

/** Functions over one series' range window, with Prometheus 2.x semantics. NaN result = no output. */
final class RangeFunctions {

    /** Marks "this series produces no sample" (distinct from a NaN result, which is a value). */
    static final Double NONE = null;

    private RangeFunctions() {}

    static Double apply(Function f, Window w, Matrix m, long evalTime, double[] scalars) {
        if (!hasResult(f, w, scalars)) {
            return NONE;
        }
        return value(f, w, m.rangeStart(), m.rangeEnd(), m.rangeMs(), evalTime, scalars);
    }

    /**
     * Whether {@code f} yields a sample for this window; it also rejects bad holt_winters factors, as
     * Prometheus does for any non-empty window.
     */
    static boolean hasResult(Function f, Window w, double[] scalars) {
        int n = w.size();
        if (n == 0) {
            return false;
        }
        return switch (f) {
            case RATE, INCREASE, DELTA, DERIV, PREDICT_LINEAR -> n >= 2;
            case IRATE, IDELTA -> n >= 2 && w.t(n - 1) != w.t(n - 2);
            case HOLT_WINTERS -> {
                checkHoltWintersFactors(scalars[0], scalars[1]);
                yield n >= 2;
            }
            default -> true;
        };
    }

    /**
     * {@code f} over a window for which {@link #hasResult} holds; samples lie in {@code [rangeStart,
     * rangeEnd]}, the range selector's window.
     */
    static double value(
            Function f, Window w, long rangeStart, long rangeEnd, long rangeMs, long evalTime, double[] scalars) {
        int n = w.size();
        return switch (f) {
            case RATE -> extrapolated(w, rangeStart, rangeEnd, rangeMs, true, true);
            case INCREASE -> extrapolated(w, rangeStart, rangeEnd, rangeMs, true, false);
            case DELTA -> extrapolated(w, rangeStart, rangeEnd, rangeMs, false, false);
            case IRATE -> instant(w, true);
            case IDELTA -> instant(w, false);
            case DERIV -> Stats.linearRegression(w, w.t(0))[0];
            case PREDICT_LINEAR -> {
                double[] r = Stats.linearRegression(w, evalTime);
                yield r[0] * scalars[0] + r[1];
            }
            case AVG_OVER_TIME -> avg(w);
            case SUM_OVER_TIME -> {
                double[] s = new double[2];
                for (int i = 0; i < n; i++) {
                    Stats.kahanInc(w.v(i), s);
                }
                yield Double.isInfinite(s[0]) ? s[0] : s[0] + s[1];
            }
            case COUNT_OVER_TIME -> n;
            case MIN_OVER_TIME -> {
                double min = w.v(0);
                for (int i = 1; i < n; i++) {
                    if (w.v(i) < min || Double.isNaN(min)) {
                        min = w.v(i);
                    }
                }
                yield min;
            }
            case MAX_OVER_TIME -> {
                double max = w.v(0);
                for (int i = 1; i < n; i++) {
                    if (w.v(i) > max || Double.isNaN(max)) {
                        max = w.v(i);
                    }
                }
                yield max;
            }
            case LAST_OVER_TIME -> w.v(n - 1);
            case PRESENT_OVER_TIME -> 1.0;
            case STDDEV_OVER_TIME -> Math.sqrt(variance(w));
            case STDVAR_OVER_TIME -> variance(w);
            case QUANTILE_OVER_TIME -> {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = w.v(i);
                }
                yield Stats.quantile(scalars[0], values);
            }
            case CHANGES -> {
                int changes = 0;
                double prev = w.v(0);
                for (int i = 1; i < n; i++) {
                    double cur = w.v(i);
                    if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
                        changes++;
                    }
                    prev = cur;
                }
                yield changes;
            }
            case RESETS -> {
                int resets = 0;
                double prev = w.v(0);
                for (int i = 1; i < n; i++) {
                    if (w.v(i) < prev) {
                        resets++;
                    }
                    prev = w.v(i);
                }
                yield resets;
            }
            case HOLT_WINTERS -> holtWinters(w, scalars[0], scalars[1]);
            default -> throw new IllegalStateException("not a range function: " + f);
        };
    }

    /** rate, increase and delta: the change over the window, extrapolated towards its edges. */
    private static double extrapolated(
            Window w, long rangeStart, long rangeEnd, long rangeMs, boolean isCounter, boolean isRate) {
        int n = w.size();
        double result = w.v(n - 1) - w.v(0);
        if (isCounter) {
            double last = 0;
            for (int i = 0; i < n; i++) {
                double v = w.v(i);
                if (v < last) {
                    result += last;
                }
                last = v;
            }
        }
        double durationToStart = (w.t(0) - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - w.t(n - 1)) / 1000.0;
        double sampledInterval = (w.t(n - 1) - w.t(0)) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        if (isCounter && result > 0 && w.v(0) >= 0) {
            double durationToZero = sampledInterval * (w.v(0) / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double threshold = averageDurationBetweenSamples * 1.1;
        double extrapolateTo = sampledInterval;
        extrapolateTo += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
        // One factor, divided by the range for rate, then one multiplication: Prometheus' order of operations
        // since 2.40 (dividing the product instead differs in the last bit, e.g. 484 / 300).
        double factor = extrapolateTo / sampledInterval;
        if (isRate) {
            factor /= rangeMs / 1000.0;
        }
        return result * factor;
    }

    private static double instant(Window w, boolean isRate) {
        int n = w.size();
        double last = w.v(n - 1);
        double previous = w.v(n - 2);
        double result = isRate && last < previous ? last : last - previous;
        long interval = w.t(n - 1) - w.t(n - 2);
        if (isRate) {
            result /= interval / 1000.0;
        }
        return result;
    }

    private static double avg(Window w) {
        double mean = 0;
        double c = 0;
        double count = 0;
        double[] acc = new double[2];
        for (int i = 0; i < w.size(); i++) {
            double v = w.v(i);
            count++;
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
                    continue;
                }
                if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                    continue;
                }
            }
            acc[0] = mean;
            acc[1] = c;
            Stats.kahanInc(v / count - mean / count, acc);
            mean = acc[0];
            c = acc[1];
        }
        return Double.isInfinite(mean) ? mean : mean + c;
    }

    private static double variance(Window w) {
        double count = 0;
        double[] mean = new double[2];
        double[] aux = new double[2];
        for (int i = 0; i < w.size(); i++) {
            double v = w.v(i);
            count++;
            double delta = v - (mean[0] + mean[1]);
            Stats.kahanInc(delta / count, mean);
            Stats.kahanInc(delta * (v - (mean[0] + mean[1])), aux);
        }
        return (aux[0] + aux[1]) / count;
    }

    private static void checkHoltWintersFactors(double sf, double tf) {
        if (sf <= 0 || sf >= 1) {
            throw PromqlException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + sf);
        }
        if (tf <= 0 || tf >= 1) {
            throw PromqlException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + tf);
        }
    }

    private static double holtWinters(Window w, double sf, double tf) {
        int n = w.size();
        double s0 = 0;
        double s1 = w.v(0);
        double b = w.v(1) - w.v(0);
        for (int i = 1; i < n; i++) {
            double x = sf * w.v(i);
            b = i - 1 == 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }
}
