package dev.nightjar.core.telemetry;

import java.util.Map;

/** Minimal JSON rendering for the text form of composite attribute values. */
final class Json {

    private Json() {}

    static void appendValue(StringBuilder sb, AttributeValue value) {
        switch (value) {
            case AttributeValue.StringValue s -> appendString(sb, s.value());
            case AttributeValue.BytesValue b -> appendString(sb, b.asText());
            case AttributeValue.DoubleValue d ->
                sb.append(Double.isFinite(d.value()) ? d.asText() : "\"" + d.asText() + "\"");
            case AttributeValue.ArrayValue a -> sb.append(a.asText());
            case AttributeValue.MapValue m -> appendMap(sb, m.values());
            default -> sb.append(value.asText());
        }
    }

    static void appendMap(StringBuilder sb, Attributes attributes) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : attributes.asMap().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendString(sb, e.getKey());
            sb.append(':');
            appendValue(sb, e.getValue());
        }
        sb.append('}');
    }

    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
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
