package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Aggregation operators over one instant vector, grouped by or without labels. */
final class Aggregations {

    private Aggregations() {}

    private static final class Group {
        final Labels labels;
        double value;
        double mean;
        long count;
        final List<Sample> members = new ArrayList<>();

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    /** The group key of a sample's labels under {@code agg}'s by/without clause. */
    static Labels groupKey(Expr.Aggregate agg, Labels metric, String valueLabel) {
        if (agg.without()) {
            Set<String> drop = new HashSet<>(agg.grouping());
            drop.add(Labels.METRIC_NAME);
            return metric.without(drop);
        }
        Set<String> keep = new HashSet<>(agg.grouping());
        if (valueLabel != null) {
            keep.add(valueLabel);
        }
        return metric.keepOnly(keep);
    }

    static List<Sample> apply(
            Expr.Aggregate agg,
            List<Sample> in,
            long t,
            double scalarParam,
            String stringParam,
            java.util.function.Function<Labels, Labels> keyOf) {
        AggregateOp op = agg.op();
        long k = 0;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            if (Double.isNaN(scalarParam) || Math.abs(scalarParam) >= 0x1p63) {
                throw PromqlException.execution("Scalar value " + Literals.formatGo(scalarParam) + " overflows int64");
            }
            k = (long) scalarParam;
            if (k < 1) {
                return List.of();
            }
        }
        if (op == AggregateOp.COUNT_VALUES && !Labels.isValidLabelName(stringParam)) {
            throw PromqlException.execution("invalid label name \"" + stringParam + "\"");
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (Sample s : in) {
            Labels key;
            if (op == AggregateOp.COUNT_VALUES) {
                key = groupKey(agg, s.labels().with(stringParam, Literals.formatGo(s.value())), stringParam);
            } else {
                key = keyOf.apply(s.labels());
            }
            Group g = groups.get(key);
            double v = s.value();
            if (g == null) {
                g = new Group(key);
                g.value = v;
                g.mean = v;
                g.count = 1;
                switch (op) {
                    case STDDEV, STDVAR -> g.value = 0;
                    case GROUP -> g.value = 1;
                    default -> {}
                }
                g.members.add(s);
                groups.put(key, g);
                continue;
            }
            switch (op) {
                case SUM -> g.value += v;
                case AVG -> {
                    g.count++;
                    if (Double.isInfinite(g.mean)) {
                        if (Double.isInfinite(v) && (g.mean > 0) == (v > 0)) {
                            break;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            break;
                        }
                    }
                    g.mean += v / g.count - g.mean / g.count;
                }
                case MAX -> {
                    if (g.value < v || Double.isNaN(g.value)) {
                        g.value = v;
                    }
                }
                case MIN -> {
                    if (g.value > v || Double.isNaN(g.value)) {
                        g.value = v;
                    }
                }
                case COUNT, COUNT_VALUES -> g.count++;
                case STDDEV, STDVAR -> {
                    g.count++;
                    double delta = v - g.mean;
                    g.mean += delta / g.count;
                    g.value += delta * (v - g.mean);
                }
                case TOPK, BOTTOMK, QUANTILE -> g.members.add(s);
                case GROUP -> {}
            }
        }
        List<Sample> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            switch (op) {
                case AVG -> out.add(new Sample(g.labels, t, g.mean));
                case COUNT, COUNT_VALUES -> out.add(new Sample(g.labels, t, g.count));
                case STDVAR -> out.add(new Sample(g.labels, t, g.value / g.count));
                case STDDEV -> out.add(new Sample(g.labels, t, Math.sqrt(g.value / g.count)));
                case QUANTILE -> {
                    double[] values =
                            g.members.stream().mapToDouble(Sample::value).toArray();
                    out.add(new Sample(g.labels, t, Stats.quantile(scalarParam, values)));
                }
                case TOPK, BOTTOMK -> {
                    List<Sample> kept = GoHeap.select(
                            g.members, k, op == AggregateOp.TOPK ? GoOrder.BY_VALUE : GoOrder.BY_VALUE_REVERSED);
                    for (Sample s : kept) {
                        out.add(new Sample(s.labels(), t, s.value()));
                    }
                }
                default -> out.add(new Sample(g.labels, t, g.value));
            }
        }
        return out;
    }
}
