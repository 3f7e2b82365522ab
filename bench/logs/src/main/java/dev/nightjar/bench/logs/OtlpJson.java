package dev.nightjar.bench.logs;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/JSON encoding (as in the OTLP specification's JSON mapping: hex ids, 64-bit integers as strings,
 * camelCase field names). Used to measure the "raw OTLP-JSON" size the datastore is compared with, and as
 * the stored source of the raw-Lucene baseline.
 */
final class OtlpJson {

    private OtlpJson() {}

    /** The bytes of one export request for a batch: records grouped under their resource, as an SDK sends. */
    static long batchBytes(List<LogRecord> batch) {
        Map<Resource, List<LogRecord>> byResource = new IdentityHashMap<>();
        for (LogRecord r : batch) {
            byResource.computeIfAbsent(r.resource(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder(batch.size() * 600);
        sb.append("{\"resourceLogs\":[");
        boolean firstRes = true;
        for (Map.Entry<Resource, List<LogRecord>> e : byResource.entrySet()) {
            if (!firstRes) {
                sb.append(',');
            }
            firstRes = false;
            sb.append("{\"resource\":{\"attributes\":");
            attributes(sb, e.getKey().attributes());
            sb.append("},\"scopeLogs\":[{\"scope\":{\"name\":");
            string(sb, e.getValue().getFirst().scope().name());
            sb.append("},\"logRecords\":[");
            boolean first = true;
            for (LogRecord r : e.getValue()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                record(sb, r);
            }
            sb.append("]}]}");
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** One record with its resource, standalone (the raw-Lucene baseline stores this). */
    static byte[] standalone(LogRecord r) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"resource\":{\"attributes\":");
        attributes(sb, r.resource().attributes());
        sb.append("},\"logRecord\":");
        record(sb, r);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void record(StringBuilder sb, LogRecord r) {
        sb.append("{\"timeUnixNano\":\"").append(Long.toUnsignedString(r.timeUnixNano()));
        sb.append("\",\"observedTimeUnixNano\":\"").append(Long.toUnsignedString(r.observedTimeUnixNano()));
        sb.append("\",\"severityNumber\":").append(r.severityNumber());
        sb.append(",\"severityText\":");
        string(sb, r.severityText());
        sb.append(",\"body\":");
        value(sb, r.body());
        sb.append(",\"attributes\":");
        attributes(sb, r.attributes());
        if (r.traceId() != null) {
            sb.append(",\"traceId\":\"").append(r.traceId().toHex()).append('"');
        }
        if (r.spanId() != null) {
            sb.append(",\"spanId\":\"").append(r.spanId().toHex()).append('"');
        }
        if (r.flags() != 0) {
            sb.append(",\"flags\":").append(r.flags());
        }
        sb.append('}');
    }

    static void attributes(StringBuilder sb, Attributes attributes) {
        sb.append('[');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : attributes.asMap().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"key\":");
            string(sb, e.getKey());
            sb.append(",\"value\":");
            value(sb, e.getValue());
            sb.append('}');
        }
        sb.append(']');
    }

    static void value(StringBuilder sb, AttributeValue v) {
        switch (v) {
            case AttributeValue.StringValue s -> {
                sb.append("{\"stringValue\":");
                string(sb, s.value());
                sb.append('}');
            }
            case AttributeValue.LongValue l ->
                sb.append("{\"intValue\":\"").append(l.value()).append("\"}");
            case AttributeValue.DoubleValue d ->
                sb.append("{\"doubleValue\":").append(d.value()).append('}');
            case AttributeValue.BoolValue b ->
                sb.append("{\"boolValue\":").append(b.value()).append('}');
            case AttributeValue.BytesValue b ->
                sb.append("{\"bytesValue\":\"")
                        .append(Base64.getEncoder().encodeToString(b.value()))
                        .append("\"}");
            case AttributeValue.ArrayValue a -> {
                sb.append("{\"arrayValue\":{\"values\":[");
                for (int i = 0; i < a.values().size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(sb, a.values().get(i));
                }
                sb.append("]}}");
            }
            case AttributeValue.MapValue m -> {
                sb.append("{\"kvlistValue\":{\"values\":");
                attributes(sb, m.values());
                sb.append("}}");
            }
        }
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
