package dev.nightjar.webapp.traces;

import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.traces.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The chain of spans that determines when a trace ends: from the trace's primary root, repeatedly to the
 * child that ends last, until a span has no children. Shortening any span off this chain would not make
 * the request finish sooner, so this is where to look first.
 */
final class CriticalPath {

    private CriticalPath() {}

    /** The critical path, root first; empty for an empty trace. */
    static List<Span> of(List<Span> spans) {
        return of(new TraceTree(spans));
    }

    static List<Span> of(TraceTree tree) {
        List<Span> path = new ArrayList<>();
        Set<SpanId> seen = new HashSet<>();
        Span current = tree.primaryRoot();
        while (current != null && seen.add(current.spanId())) {
            path.add(current);
            current = lastToEnd(tree.children(current));
        }
        return path;
    }

    /** The child ending last; on ties the one that started last (it waited longest on the others). */
    private static Span lastToEnd(List<Span> children) {
        Span best = null;
        for (Span child : children) {
            if (best == null
                    || child.endTimeUnixNano() > best.endTimeUnixNano()
                    || (child.endTimeUnixNano() == best.endTimeUnixNano()
                            && child.startTimeUnixNano() > best.startTimeUnixNano())) {
                best = child;
            }
        }
        return best;
    }

    static Set<SpanId> ids(List<Span> path) {
        Set<SpanId> ids = new HashSet<>();
        path.forEach(s -> ids.add(s.spanId()));
        return ids;
    }
}
