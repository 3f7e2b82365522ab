package dev.nightjar.api.servicemap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Quantiles from cumulative bucket counts, as Prometheus' {@code histogram_quantile} computes them
 * (linear interpolation inside the bucket). Done here rather than in PromQL because an edge merges the
 * buckets of several processes and peer addresses after the query.
 */
final class Histograms {
    private Histograms() {}

    static double parseLe(String le) {
        if (le == null || le.isEmpty()) {
            return Double.NaN;
        }
        if (le.equals("+Inf") || le.equals("Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(le);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The q-quantile of cumulative buckets keyed by upper bound (sorted map), or null without data. */
    static Double quantile(double q, Map<Double, Double> cumulative) {
        if (cumulative.isEmpty() || !cumulative.containsKey(Double.POSITIVE_INFINITY)) {
            return null;
        }
        List<Map.Entry<Double, Double>> b = new ArrayList<>(cumulative.entrySet());
        // Counts from increase() may be slightly non-monotonic after extrapolation; force monotonic.
        double[] counts = new double[b.size()];
        double max = 0;
        for (int i = 0; i < b.size(); i++) {
            max = Math.max(max, b.get(i).getValue());
            counts[i] = max;
        }
        double total = counts[counts.length - 1];
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        int i = 0;
        while (i < counts.length - 1 && counts[i] < rank) {
            i++;
        }
        double upper = b.get(i).getKey();
        if (upper == Double.POSITIVE_INFINITY) {
            // As Prometheus: the answer is the highest finite bound.
            return b.size() > 1 ? b.get(b.size() - 2).getKey() : null;
        }
        double lower = i == 0 ? 0 : b.get(i - 1).getKey();
        double below = i == 0 ? 0 : counts[i - 1];
        double inBucket = counts[i] - below;
        if (inBucket <= 0) {
            return upper;
        }
        if (i == 0 && upper <= 0) {
            return upper;
        }
        return lower + (upper - lower) * (rank - below) / inBucket;
    }
}
