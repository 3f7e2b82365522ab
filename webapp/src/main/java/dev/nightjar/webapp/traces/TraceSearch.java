package dev.nightjar.webapp.traces;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.webapp.logs.BackgroundQuery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds traces: matching spans, newest first, grouped by trace; each of the first {@value #MAX_TRACES}
 * traces is then read whole for its root, length and span count. Bounded on both steps.
 */
final class TraceSearch {
    static final int MAX_TRACES = 50;
    static final int SPAN_LIMIT = 1000;

    private TraceSearch() {}

    static List<TraceSummary> run(SpanReader reader, TenantId tenant, SpanQuery query) {
        Set<TraceId> ids = new LinkedHashSet<>();
        for (Span span : reader.searchSpans(tenant, query)) {
            ids.add(span.traceId());
            if (ids.size() == MAX_TRACES) {
                break;
            }
        }
        List<TraceSummary> out = new ArrayList<>(ids.size());
        for (TraceId id : ids) {
            if (BackgroundQuery.cancelled()) {
                break;
            }
            List<Span> spans = reader.getTrace(tenant, id);
            if (!spans.isEmpty()) {
                out.add(TraceSummary.of(id, spans));
            }
        }
        return out;
    }
}
