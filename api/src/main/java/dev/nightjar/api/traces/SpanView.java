package dev.nightjar.api.traces;

import dev.nightjar.api.logs.AttributeJson;
import dev.nightjar.core.traces.Span;
import java.util.List;
import java.util.Map;

/** A span as the REST API returns it: nanosecond times as strings, ids as hex, attributes as JSON values. */
public record SpanView(
        String traceId,
        String spanId,
        String parentSpanId,
        String traceState,
        String name,
        String kind,
        String startTimeUnixNano,
        String endTimeUnixNano,
        long durationNanos,
        Map<String, Object> attributes,
        List<Event> events,
        List<Link> links,
        String statusCode,
        String statusMessage,
        Map<String, Object> resource,
        String scopeName,
        String scopeVersion,
        int flags) {

    public record Event(String timeUnixNano, String name, Map<String, Object> attributes) {}

    public record Link(String traceId, String spanId, String traceState, Map<String, Object> attributes) {}

    public static SpanView of(Span s) {
        return new SpanView(
                s.traceId().toHex(),
                s.spanId().toHex(),
                s.parentSpanId() == null ? null : s.parentSpanId().toHex(),
                s.traceState(),
                s.name(),
                s.kind().name(),
                Long.toString(s.startTimeUnixNano()),
                Long.toString(s.endTimeUnixNano()),
                s.durationNanos(),
                AttributeJson.map(s.attributes()),
                s.events().stream()
                        .map(e ->
                                new Event(Long.toString(e.timeUnixNano()), e.name(), AttributeJson.map(e.attributes())))
                        .toList(),
                s.links().stream()
                        .map(l -> new Link(
                                l.traceId().toHex(),
                                l.spanId().toHex(),
                                l.traceState(),
                                AttributeJson.map(l.attributes())))
                        .toList(),
                s.status().code().name(),
                s.status().message(),
                AttributeJson.map(s.resource().attributes()),
                s.scope().name(),
                s.scope().version(),
                s.flags());
    }
}
