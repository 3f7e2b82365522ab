package dev.nightjar.promql;

import dev.nightjar.promql.Values.Value;
import dev.nightjar.promql.Values.Vector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The nodes of one query that are evaluated for the whole step grid at once, and their results: a
 * range function over a matrix selector ({@link RangeStreaming}), a selector right under an
 * aggregation ({@link SelectorStreaming}) and a parameterless sum/avg/count/min/max/group over such
 * a node ({@link StepAggregation}). Their selectors are never
 * loaded whole by the {@link Evaluator}.
 */
final class StreamedNodes {

    private final Evaluator ev;
    private final Set<Expr> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Expr.VectorSelector> selectors = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Expr, StepMatrix> results = new IdentityHashMap<>();

    StreamedNodes(Evaluator ev) {
        this.ev = ev;
    }

    /**
     * Marks the streamed nodes under {@code e}. Nodes under a subquery run at the subquery's own
     * times, off the query grid, and keep the step-by-step path.
     */
    void mark(Expr e) {
        switch (e) {
            case Expr.Call c -> {
                int rangeArg = c.function().argTypes().indexOf(ValueType.RANGE_VECTOR);
                Expr arg = rangeArg < 0 ? null : Evaluator.unwrap(c.args().get(rangeArg));
                if (arg instanceof Expr.MatrixSelector m && c.function() != Function.ABSENT_OVER_TIME) {
                    nodes.add(c);
                    selectors.add(m.selector());
                }
                for (int i = 0; i < c.args().size(); i++) {
                    if (i != rangeArg) {
                        mark(c.args().get(i));
                    }
                }
            }
            case Expr.Aggregate a -> {
                mark(a.expr());
                if (a.param() != null) {
                    mark(a.param());
                }
                // A plain selector streams only straight into an aggregation: elsewhere (timestamp(),
                // binary operators) its samples' own times or the step-by-step path are needed.
                if (StepAggregation.supports(a) && Evaluator.unwrap(a.expr()) instanceof Expr.VectorSelector v) {
                    nodes.add(v);
                    selectors.add(v);
                }
                if (StepAggregation.supports(a) && nodes.contains(Evaluator.unwrap(a.expr()))) {
                    nodes.add(a);
                }
            }
            case Expr.Binary b -> {
                mark(b.lhs());
                mark(b.rhs());
            }
            case Expr.Unary u -> mark(u.expr());
            case Expr.Paren p -> mark(p.expr());
            default -> {}
        }
    }

    boolean contains(Expr e) {
        return nodes.contains(Evaluator.unwrap(e));
    }

    /** Whether a streamed node reads this selector itself. */
    boolean consumes(Expr.VectorSelector v) {
        return selectors.contains(v);
    }

    /** The grid-wide result of a streamed node, computed on first use. */
    StepMatrix result(Expr e) {
        Expr node = Evaluator.unwrap(e);
        StepMatrix m = results.get(node);
        if (m == null) {
            m = switch (node) {
                case Expr.Call c -> {
                    int rangeArg = c.function().argTypes().indexOf(ValueType.RANGE_VECTOR);
                    yield RangeStreaming.evaluate(
                            ev,
                            c,
                            (Expr.MatrixSelector) Evaluator.unwrap(c.args().get(rangeArg)),
                            rangeArg);
                }
                case Expr.Aggregate a -> {
                    StepMatrix groups = StepAggregation.apply(a, result(a.expr()), ev);
                    ev.selectors.countStreamed(0, groups.points());
                    yield groups;
                }
                case Expr.VectorSelector v -> SelectorStreaming.evaluate(ev, v, ev.lookbackMs());
                default -> throw new IllegalStateException("not a streamed node: " + node);
            };
            results.put(node, m);
        }
        return m;
    }

    /** The node's instant vector at {@code t}, which must lie on the query grid. */
    Value at(Expr e, long t) {
        int k = ev.gridIndex(t);
        if (k < 0) {
            throw new IllegalStateException("streamed node evaluated off the query grid at " + t);
        }
        return new Vector(result(e).vector(k, t));
    }
}
