package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.Expr.VectorMatching;
import dev.nightjar.promql.Expr.VectorMatching.Cardinality;
import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and vectors, with Prometheus' vector matching. */
final class BinaryOperations {

    private BinaryOperations() {}

    /** The value of {@code l op r}; for comparisons, NaN stands for "false" (dropped). */
    static double scalar(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> pow(l, r);
            case MOD -> goMod(l, r);
            case ATAN2 -> Math.atan2(l, r);
            default -> throw new IllegalStateException(op.name());
        };
    }

    /**
     * Go's math.Pow, which differs from Java's only where the base is 1 (always 1, even for a NaN or
     * infinite exponent) or -1 with an infinite exponent (1, where Java gives NaN).
     */
    static double pow(double base, double exponent) {
        if (base == 1 || base == -1 && Double.isInfinite(exponent)) {
            return 1;
        }
        return Math.pow(base, exponent);
    }

    /** Go's math.Mod: like Java's % except for the handful of special values both agree on. */
    private static double goMod(double l, double r) {
        return l % r;
    }

    static boolean compare(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException(op.name());
        };
    }

    static double scalarScalar(BinaryOp op, double l, double r, boolean returnBool) {
        if (op.isComparison()) {
            return compare(op, l, r) ? 1 : 0;
        }
        return scalar(op, l, r);
    }

    /** vector op scalar (or scalar op vector when {@code scalarLeft}). */
    static List<Sample> vectorScalar(
            BinaryOp op, List<Sample> vector, double scalar, boolean scalarLeft, boolean returnBool, long t) {
        List<Sample> out = new ArrayList<>(vector.size());
        for (Sample s : vector) {
            double l = scalarLeft ? scalar : s.value();
            double r = scalarLeft ? s.value() : scalar;
            double value;
            boolean keep = true;
            if (op.isComparison()) {
                keep = compare(op, l, r);
                value = s.value();
            } else {
                value = scalar(op, l, r);
            }
            if (returnBool) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (keep) {
                Labels labels = op.dropsMetricName() || returnBool ? s.labels().withoutMetricName() : s.labels();
                out.add(new Sample(labels, t, value));
            }
        }
        return out;
    }

    private static Labels signature(Labels labels, VectorMatching m) {
        Set<String> names = new HashSet<>(m.labels());
        if (m.on()) {
            return labels.keepOnly(names);
        }
        names.add(Labels.METRIC_NAME);
        return labels.without(names);
    }

    static List<Sample> setOperation(BinaryOp op, List<Sample> lhs, List<Sample> rhs, VectorMatching m, long t) {
        Set<Labels> rightSigs = new HashSet<>();
        for (Sample s : rhs) {
            rightSigs.add(signature(s.labels(), m));
        }
        List<Sample> out = new ArrayList<>();
        switch (op) {
            case AND -> {
                for (Sample s : lhs) {
                    if (rightSigs.contains(signature(s.labels(), m))) {
                        out.add(new Sample(s.labels(), t, s.value()));
                    }
                }
            }
            case UNLESS -> {
                for (Sample s : lhs) {
                    if (!rightSigs.contains(signature(s.labels(), m))) {
                        out.add(new Sample(s.labels(), t, s.value()));
                    }
                }
            }
            case OR -> {
                Set<Labels> leftSigs = new HashSet<>();
                for (Sample s : lhs) {
                    leftSigs.add(signature(s.labels(), m));
                    out.add(new Sample(s.labels(), t, s.value()));
                }
                for (Sample s : rhs) {
                    if (!leftSigs.contains(signature(s.labels(), m))) {
                        out.add(new Sample(s.labels(), t, s.value()));
                    }
                }
            }
            default -> throw new IllegalStateException(op.name());
        }
        return out;
    }

    static List<Sample> vectorVector(
            BinaryOp op, List<Sample> lhs, List<Sample> rhs, VectorMatching m, boolean returnBool, long t) {
        if (lhs.isEmpty() || rhs.isEmpty()) {
            // Nothing can match, and, as in Prometheus, an empty side means no duplicate check on the other.
            return new ArrayList<>();
        }
        boolean oneToMany = m.cardinality() == Cardinality.ONE_TO_MANY;
        List<Sample> many = oneToMany ? rhs : lhs;
        List<Sample> one = oneToMany ? lhs : rhs;
        Map<Labels, Sample> oneBySig = new HashMap<>();
        for (Sample s : one) {
            Labels sig = signature(s.labels(), m);
            Sample previous = oneBySig.put(sig, s);
            if (previous != null) {
                throw PromqlException.execution("found duplicate series for the match group " + sig
                        + " on the " + (oneToMany ? "left" : "right")
                        + " hand-side of the operation: [" + previous.labels() + ", " + s.labels()
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        Set<Labels> matchedSigs = new HashSet<>();
        Set<List<Labels>> inserted = new HashSet<>();
        List<Sample> out = new ArrayList<>();
        for (Sample s : many) {
            Labels sig = signature(s.labels(), m);
            Sample match = oneBySig.get(sig);
            if (match == null) {
                continue;
            }
            double l = oneToMany ? match.value() : s.value();
            double r = oneToMany ? s.value() : match.value();
            double value;
            boolean keep = true;
            if (op.isComparison()) {
                keep = compare(op, l, r);
                value = l;
            } else {
                value = scalar(op, l, r);
            }
            if (returnBool) {
                value = keep ? 1 : 0;
            } else if (!keep) {
                continue;
            }
            Labels metric = resultLabels(s.labels(), match.labels(), op, m);
            if (returnBool) {
                metric = metric.withoutMetricName();
            }
            if (m.cardinality() == Cardinality.ONE_TO_ONE) {
                if (!matchedSigs.add(sig)) {
                    throw PromqlException.execution("multiple matches for labels: many-to-one matching must be explicit"
                            + " (group_left/group_right)");
                }
            } else if (!inserted.add(List.of(sig, metric))) {
                throw PromqlException.execution(
                        "multiple matches for labels: grouping labels must ensure unique matches");
            }
            out.add(new Sample(metric, t, value));
        }
        return out;
    }

    private static Labels resultLabels(Labels many, Labels one, BinaryOp op, VectorMatching m) {
        Labels result = op.dropsMetricName() ? many.withoutMetricName() : many;
        if (m.cardinality() == Cardinality.ONE_TO_ONE) {
            if (m.on()) {
                result = result.keepOnly(new HashSet<>(m.labels()));
            } else {
                result = result.without(new HashSet<>(m.labels()));
            }
        }
        for (String name : m.include()) {
            result = result.with(name, one.get(name));
        }
        return result;
    }
}
