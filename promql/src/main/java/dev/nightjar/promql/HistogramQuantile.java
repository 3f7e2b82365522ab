package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** histogram_quantile over classic {@code le} buckets, as Prometheus' bucketQuantile. */
final class HistogramQuantile {

    private static final Set<String> DROPPED = Set.of(Labels.METRIC_NAME, "le");

    private HistogramQuantile() {}

    /** A bucket series' parsed {@code le} (null when it is not a number), group key and output labels. */
    record Bucket(Double upper, Labels key, Labels output) {
        static Bucket of(Labels labels) {
            return new Bucket(
                    Literals.parseGoFloat(labels.get("le")), labels.without(Set.of("le")), labels.without(DROPPED));
        }
    }

    /**
     * {@code buckets} maps a series' labels to its {@link Bucket}; the evaluator remembers them per
     * call, since a series keeps its labels from step to step.
     */
    static List<Sample> apply(double q, List<Sample> in, long t, java.util.function.Function<Labels, Bucket> buckets) {
        Map<Labels, List<double[]>> groups = new LinkedHashMap<>();
        Map<Labels, Labels> outputLabels = new LinkedHashMap<>();
        for (Sample s : in) {
            Bucket b = buckets.apply(s.labels());
            if (b.upper() == null) {
                continue;
            }
            groups.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(new double[] {b.upper(), s.value()});
            outputLabels.putIfAbsent(b.key(), b.output());
        }
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<Labels, List<double[]>> e : groups.entrySet()) {
            out.add(new Sample(outputLabels.get(e.getKey()), t, quantile(q, e.getValue())));
        }
        return out;
    }

    static double quantile(double q, List<double[]> bucketList) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        List<double[]> buckets = new ArrayList<>(bucketList);
        buckets.sort((a, b) -> a[0] == b[0] ? 0 : Double.compare(a[0], b[0]));
        if (buckets.isEmpty() || buckets.getLast()[0] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // Coalesce buckets with the same bound.
        List<double[]> merged = new ArrayList<>();
        for (double[] b : buckets) {
            if (!merged.isEmpty() && merged.getLast()[0] == b[0]) {
                merged.getLast()[1] += b[1];
            } else {
                merged.add(new double[] {b[0], b[1]});
            }
        }
        // Counts are made monotonic from the first bucket's count on; a NaN there disables that, as in
        // Prometheus, since every comparison with NaN is false.
        double max = merged.getFirst()[1];
        for (int i = 1; i < merged.size(); i++) {
            double[] b = merged.get(i);
            if (b[1] > max) {
                max = b[1];
            } else if (b[1] < max) {
                b[1] = max;
            }
        }
        if (merged.size() < 2) {
            return Double.NaN;
        }
        double observations = merged.getLast()[1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        // The first bucket reaching the rank, by binary search over all buckets but the last as
        // Prometheus (sort.Search) does: with NaN counts the answer depends on the probe order.
        int b = 0;
        int hi = merged.size() - 1;
        while (b < hi) {
            int mid = (b + hi) >>> 1;
            if (!(merged.get(mid)[1] >= rank)) {
                b = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (b == merged.size() - 1) {
            return merged.get(merged.size() - 2)[0];
        }
        if (b == 0 && merged.get(0)[0] <= 0) {
            return merged.get(0)[0];
        }
        double bucketStart = 0;
        double bucketEnd = merged.get(b)[0];
        double count = merged.get(b)[1];
        if (b > 0) {
            bucketStart = merged.get(b - 1)[0];
            count -= merged.get(b - 1)[1];
            rank -= merged.get(b - 1)[1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }
}
