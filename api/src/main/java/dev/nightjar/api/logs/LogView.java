package dev.nightjar.api.logs;

import dev.nightjar.core.logs.LogRecord;
import java.util.Map;

/**
 * A log record as the REST API returns it. Nanosecond times are strings (JSON numbers lose precision
 * beyond 2^53); ids are lower-case hex; attribute values are plain JSON values.
 */
public record LogView(
        String timeUnixNano,
        String observedTimeUnixNano,
        int severityNumber,
        String severityText,
        Object body,
        Map<String, Object> attributes,
        Map<String, Object> resource,
        String scopeName,
        String scopeVersion,
        String traceId,
        String spanId,
        int flags) {

    static LogView of(LogRecord r) {
        return new LogView(
                Long.toString(r.timeUnixNano()),
                Long.toString(r.observedTimeUnixNano()),
                r.severityNumber(),
                r.severityText(),
                AttributeJson.value(r.body()),
                AttributeJson.map(r.attributes()),
                AttributeJson.map(r.resource().attributes()),
                r.scope().name(),
                r.scope().version(),
                r.traceId() == null ? null : r.traceId().toHex(),
                r.spanId() == null ? null : r.spanId().toHex(),
                r.flags());
    }
}
