package dev.nightjar.webapp.traces;

import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.traces.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parent/child structure of a trace's spans. Telemetry is untrusted and often incomplete: a span
 * whose parent never arrived is treated as a root, duplicate span ids keep the first, and parent cycles
 * cannot loop (every span is placed once).
 */
final class TraceTree {
    static final Comparator<Span> BY_START = Comparator.comparingLong(Span::startTimeUnixNano)
            .thenComparing(s -> s.spanId().toHex());

    private final Map<SpanId, Span> byId = new LinkedHashMap<>();
    private final Map<SpanId, List<Span>> children = new HashMap<>();
    private final List<Span> roots = new ArrayList<>();

    TraceTree(List<Span> spans) {
        for (Span span : spans) {
            byId.putIfAbsent(span.spanId(), span);
        }
        for (Span span : byId.values()) {
            SpanId parent = span.parentSpanId();
            if (parent == null || !byId.containsKey(parent) || parent.equals(span.spanId())) {
                roots.add(span);
            } else {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(span);
            }
        }
        roots.sort(BY_START);
        children.values().forEach(list -> list.sort(BY_START));
    }

    /** One row of the waterfall. */
    record Row(Span span, int depth) {}

    List<Span> roots() {
        return roots;
    }

    List<Span> children(Span span) {
        return children.getOrDefault(span.spanId(), List.of());
    }

    int size() {
        return byId.size();
    }

    /**
     * The root that stands for the trace: among the roots, the one that ends last (a trace's visible
     * length is set by it), earliest start on ties. Null for an empty trace.
     */
    Span primaryRoot() {
        Span best = null;
        for (Span root : roots) {
            if (best == null
                    || root.endTimeUnixNano() > best.endTimeUnixNano()
                    || (root.endTimeUnixNano() == best.endTimeUnixNano()
                            && root.startTimeUnixNano() < best.startTimeUnixNano())) {
                best = root;
            }
        }
        return best;
    }

    /**
     * Depth-first rows, children by start time. Spans caught in a parent cycle are unreachable from any
     * root; they are appended at depth 0 so nothing the store returned is hidden.
     */
    List<Row> rows() {
        List<Row> out = new ArrayList<>(byId.size());
        Set<SpanId> placed = new HashSet<>();
        for (Span root : roots) {
            walk(root, out, placed);
        }
        for (Span span : byId.values()) {
            if (!placed.contains(span.spanId())) {
                walk(span, out, placed);
            }
        }
        return out;
    }

    private void walk(Span start, List<Row> out, Set<SpanId> placed) {
        // Iterative, so a very deep trace cannot overflow the stack.
        Deque<Row> stack = new ArrayDeque<>();
        stack.push(new Row(start, 0));
        while (!stack.isEmpty()) {
            Row row = stack.pop();
            if (!placed.add(row.span().spanId())) {
                continue;
            }
            out.add(row);
            List<Span> kids = children(row.span());
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(new Row(kids.get(i), row.depth() + 1));
            }
        }
    }
}
