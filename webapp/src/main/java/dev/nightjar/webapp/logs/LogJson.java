package dev.nightjar.webapp.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Timestamps;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A log record as pretty JSON, for "copy as JSON": every field, values typed as OTLP has them. */
final class LogJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LogJson() {}

    static String of(LogRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Timestamps.toInstant(r.effectiveTimeUnixNano()).toString());
        out.put("timeUnixNano", Long.toString(r.timeUnixNano()));
        out.put("observedTimeUnixNano", Long.toString(r.observedTimeUnixNano()));
        out.put("severityNumber", r.severityNumber());
        out.put("severityText", r.severityText());
        out.put("body", value(r.body()));
        out.put("attributes", map(r.attributes()));
        out.put("resource", map(r.resource().attributes()));
        if (!r.scope().name().isEmpty()) {
            out.put(
                    "scope",
                    Map.of("name", r.scope().name(), "version", r.scope().version()));
        }
        if (r.traceId() != null) {
            out.put("traceId", r.traceId().toHex());
        }
        if (r.spanId() != null) {
            out.put("spanId", r.spanId().toHex());
        }
        out.put("flags", r.flags());
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> map(Attributes attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.asMap().forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    static Object value(AttributeValue v) {
        return switch (v) {
            case AttributeValue.StringValue s -> s.value();
            case AttributeValue.BoolValue b -> b.value();
            case AttributeValue.LongValue l -> l.value();
            case AttributeValue.DoubleValue d -> Double.isFinite(d.value()) ? d.value() : d.asText();
            case AttributeValue.BytesValue b -> b.asText();
            case AttributeValue.ArrayValue a -> {
                List<Object> list = new ArrayList<>();
                a.values().forEach(e -> list.add(value(e)));
                yield list;
            }
            case AttributeValue.MapValue m -> map(m.values());
        };
    }
}
