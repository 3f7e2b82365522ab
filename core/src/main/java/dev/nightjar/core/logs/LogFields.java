package dev.nightjar.core.logs;

import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The field values of a log record that filters and top values see (shared by all backends). */
public final class LogFields {

    private LogFields() {}

    /** Intrinsic field values; empty severity text or scope name, and absent ids, are left out. */
    public static Map<String, String> intrinsics(LogRecord r) {
        Map<String, String> m = new LinkedHashMap<>(4);
        if (!r.severityText().isEmpty()) {
            m.put(FieldRef.SEVERITY_TEXT, r.severityText());
        }
        if (r.traceId() != null) {
            m.put(FieldRef.TRACE_ID, r.traceId().toHex());
        }
        if (r.spanId() != null) {
            m.put(FieldRef.SPAN_ID, r.spanId().toHex());
        }
        if (!r.scope().name().isEmpty()) {
            m.put(FieldRef.SCOPE_NAME, r.scope().name());
        }
        return m;
    }

    public static List<String> keywords(LogRecord r, FieldRef field) {
        if (field.scope() == FieldRef.Scope.INTRINSIC) {
            String v = intrinsics(r).get(field.key());
            return v == null ? List.of() : List.of(v);
        }
        return FieldValues.keywords(
                FieldValues.attributesOf(field, r.resource(), r.attributes()).get(field.key()));
    }

    public static OptionalDouble number(LogRecord r, FieldRef field) {
        return FieldValues.number(FieldValues.attributesOf(field, r.resource(), r.attributes())
                .get(field.key())
                .orElse(null));
    }
}
