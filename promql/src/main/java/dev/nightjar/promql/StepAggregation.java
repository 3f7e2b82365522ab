package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * sum, avg, count, min, max and group over a {@link StepMatrix}, for every step at once. Each input
 * series' group is worked out once (not once per step), and each step accumulates into primitive
 * arrays reused from step to step; values are combined in the same order, with the same arithmetic,
 * as {@link Aggregations} does one step at a time, so results are bit-identical.
 */
final class StepAggregation {

    private StepAggregation() {}

    static boolean supports(Expr.Aggregate a) {
        return a.param() == null
                && switch (a.op()) {
                    case SUM, AVG, COUNT, MIN, MAX, GROUP -> true;
                    default -> false;
                };
    }

    static StepMatrix apply(Expr.Aggregate a, StepMatrix in, Evaluator ev) {
        int[] groupOf = new int[in.labels.length];
        Map<Labels, Integer> index = new HashMap<>();
        List<Labels> keys = new ArrayList<>();
        for (int s = 0; s < groupOf.length; s++) {
            Labels key = Aggregations.groupKey(a, in.labels[s], null);
            Integer g = index.get(key);
            if (g == null) {
                g = keys.size();
                index.put(key, g);
                keys.add(key);
            }
            groupOf[s] = g;
        }
        int groups = keys.size();
        StepMatrix.Builder out = new StepMatrix.Builder(keys.toArray(Labels[]::new), in.steps);
        double[] value = new double[groups];
        double[] mean = new double[groups];
        long[] count = new long[groups];
        int[] touched = new int[groups];
        AggregateOp op = a.op();
        for (int k = 0; k < in.steps; k++) {
            if ((k & 63) == 0) {
                ev.checkDeadline();
            }
            int n = 0;
            for (int i = in.offsets[k]; i < in.offsets[k + 1]; i++) {
                int g = groupOf[in.series[i]];
                double v = in.values[i];
                if (count[g] == 0) {
                    touched[n++] = g;
                    count[g] = 1;
                    value[g] = op == AggregateOp.GROUP ? 1 : v;
                    mean[g] = v;
                    continue;
                }
                switch (op) {
                    case SUM -> value[g] += v;
                    case AVG -> {
                        long c = ++count[g];
                        double m = mean[g];
                        if (Double.isInfinite(m)) {
                            if (Double.isInfinite(v) && (m > 0) == (v > 0)) {
                                break;
                            }
                            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                                break;
                            }
                        }
                        mean[g] = m + (v / c - m / c);
                    }
                    case MAX -> {
                        if (value[g] < v || Double.isNaN(value[g])) {
                            value[g] = v;
                        }
                    }
                    case MIN -> {
                        if (value[g] > v || Double.isNaN(value[g])) {
                            value[g] = v;
                        }
                    }
                    case COUNT -> count[g]++;
                    default -> {}
                }
            }
            // Groups come out in the order they were first seen at this step, as Aggregations does.
            for (int j = 0; j < n; j++) {
                int g = touched[j];
                double result = switch (op) {
                    case AVG -> mean[g];
                    case COUNT -> count[g];
                    default -> value[g];
                };
                out.add(g, k, result);
                count[g] = 0;
            }
        }
        return out.build();
    }
}
