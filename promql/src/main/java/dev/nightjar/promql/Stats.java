package dev.nightjar.promql;

/** Numeric kernels with Prometheus' exact arithmetic (Kahan-Neumaier sums, quantile interpolation). */
final class Stats {

    private Stats() {}

    /** Adds {@code inc} to {@code sum} with compensation {@code c}; returns {sum, c}. */
    static void kahanInc(double inc, double[] sumAndC) {
        double sum = sumAndC[0];
        double t = sum + inc;
        if (Math.abs(sum) >= Math.abs(inc)) {
            sumAndC[1] += (sum - t) + inc;
        } else {
            sumAndC[1] += (inc - t) + sum;
        }
        sumAndC[0] = t;
    }

    /** The φ-quantile of the values, interpolating between neighbours, sorted as Prometheus does. */
    static double quantile(double q, double[] values) {
        if (values.length == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        double[] sorted = values.clone();
        boolean nan = false;
        for (double v : sorted) {
            nan |= Double.isNaN(v);
        }
        if (nan) {
            // Where NaNs end up depends on Go's sort algorithm (its comparison puts NaN below
            // everything but is not a consistent order), and the interpolation can pick them up.
            GoOrder.sortValues(sorted);
        } else {
            // Without NaN every correct sort gives the same values in the same places.
            java.util.Arrays.sort(sorted);
        }
        double n = sorted.length;
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return sorted[(int) lower] * (1 - weight) + sorted[(int) upper] * weight;
    }

    /** Least-squares slope and intercept at {@code interceptTime} over a window. */
    static double[] linearRegression(Values.Window w, long interceptTime) {
        double n = 0;
        double[] sumX = new double[2];
        double[] sumY = new double[2];
        double[] sumXY = new double[2];
        double[] sumX2 = new double[2];
        double initY = w.v(0);
        boolean constY = true;
        for (int i = 0; i < w.size(); i++) {
            double v = w.v(i);
            if (constY && i > 0 && v != initY) {
                constY = false;
            }
            n += 1;
            double x = (w.t(i) - interceptTime) / 1e3;
            kahanInc(x, sumX);
            kahanInc(v, sumY);
            kahanInc(x * v, sumXY);
            kahanInc(x * x, sumX2);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {0, initY};
        }
        double sx = sumX[0] + sumX[1];
        double sy = sumY[0] + sumY[1];
        double sxy = sumXY[0] + sumXY[1];
        double sx2 = sumX2[0] + sumX2[1];
        double covXY = sxy - sx * sy / n;
        double varX = sx2 - sx * sx / n;
        double slope = covXY / varX;
        double intercept = sy / n - slope * sx / n;
        return new double[] {slope, intercept};
    }
}
