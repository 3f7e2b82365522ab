package dev.nightjar.api.jaeger;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.StatusCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jaeger's query-service JSON (what {@code /api/traces} of jaeger-query returns and Grafana's Jaeger data
 * source reads): times in microseconds, ids in hex, tags as typed key/value lists, one process per
 * distinct resource.
 */
final class JaegerModel {
    private JaegerModel() {}

    record Envelope<T>(T data, int total, int limit, int offset, List<Error> errors) {
        static <T> Envelope<T> of(T data, int total) {
            return new Envelope<>(data, total, 0, 0, null);
        }
    }

    record Error(int code, String msg) {}

    record Tag(String key, String type, Object value) {}

    record Reference(String refType, String traceID, String spanID) {}

    record Log(long timestamp, List<Tag> fields) {}

    record Process(String serviceName, List<Tag> tags) {}

    record JSpan(
            String traceID,
            String spanID,
            int flags,
            String operationName,
            List<Reference> references,
            long startTime,
            long duration,
            List<Tag> tags,
            List<Log> logs,
            String processID,
            List<String> warnings) {}

    record Trace(String traceID, List<JSpan> spans, Map<String, Process> processes, List<String> warnings) {}

    record OperationView(String name, String spanKind) {}

    static Trace trace(List<Span> spans) {
        Map<dev.nightjar.core.telemetry.Resource, String> processIds = new LinkedHashMap<>();
        Map<String, Process> processes = new LinkedHashMap<>();
        List<JSpan> out = new ArrayList<>(spans.size());
        for (Span s : spans) {
            String pid = processIds.computeIfAbsent(s.resource(), r -> {
                String id = "p" + (processIds.size() + 1);
                List<Tag> tags = tags(r.attributes());
                tags.removeIf(t -> t.key().equals(dev.nightjar.core.telemetry.Resource.SERVICE_NAME));
                processes.put(id, new Process(r.serviceName(), tags));
                return id;
            });
            out.add(span(s, pid));
        }
        return new Trace(spans.getFirst().traceId().toHex(), out, processes, null);
    }

    private static JSpan span(Span s, String processId) {
        List<Reference> refs = new ArrayList<>();
        if (s.parentSpanId() != null) {
            refs.add(new Reference(
                    "CHILD_OF", s.traceId().toHex(), s.parentSpanId().toHex()));
        }
        s.links()
                .forEach(l -> refs.add(new Reference(
                        "FOLLOWS_FROM", l.traceId().toHex(), l.spanId().toHex())));
        List<Tag> tags = tags(s.attributes());
        if (s.kind() != SpanKind.UNSPECIFIED && s.kind() != SpanKind.INTERNAL) {
            tags.add(new Tag("span.kind", "string", s.kind().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (s.status().code() != StatusCode.UNSET) {
            tags.add(new Tag("otel.status_code", "string", s.status().code().name()));
        }
        if (s.status().code() == StatusCode.ERROR) {
            tags.add(new Tag("error", "bool", true));
            if (!s.status().message().isEmpty()) {
                tags.add(new Tag("otel.status_description", "string", s.status().message()));
            }
        }
        if (!s.scope().name().isEmpty()) {
            tags.add(new Tag("otel.scope.name", "string", s.scope().name()));
        }
        List<Log> logs = s.events().stream()
                .map(e -> {
                    List<Tag> fields = new ArrayList<>();
                    fields.add(new Tag("event", "string", e.name()));
                    fields.addAll(tags(e.attributes()));
                    return new Log(e.timeUnixNano() / 1000, fields);
                })
                .toList();
        return new JSpan(
                s.traceId().toHex(),
                s.spanId().toHex(),
                s.flags(),
                s.name(),
                refs,
                s.startTimeUnixNano() / 1000,
                s.durationNanos() / 1000,
                tags,
                logs,
                processId,
                null);
    }

    static List<Tag> tags(Attributes attributes) {
        List<Tag> tags = new ArrayList<>(attributes.size());
        attributes.asMap().forEach((k, v) -> tags.add(tag(k, v)));
        return tags;
    }

    private static Tag tag(String key, AttributeValue v) {
        return switch (v) {
            case AttributeValue.StringValue s -> new Tag(key, "string", s.value());
            case AttributeValue.BoolValue b -> new Tag(key, "bool", b.value());
            case AttributeValue.LongValue l -> new Tag(key, "int64", l.value());
            case AttributeValue.DoubleValue d -> new Tag(key, "float64", d.value());
            case AttributeValue.BytesValue b -> new Tag(key, "binary", b.asText());
            default -> new Tag(key, "string", v.asText());
        };
    }
}
