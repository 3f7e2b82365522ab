package dev.nightjar.api.logs;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribute values as plain JSON values: strings, booleans, numbers, arrays and objects as they are;
 * bytes as base64 text. Clients show them as inert text.
 */
public final class AttributeJson {
    private AttributeJson() {}

    public static Object value(AttributeValue value) {
        return switch (value) {
            case AttributeValue.StringValue s -> s.value();
            case AttributeValue.BoolValue b -> b.value();
            case AttributeValue.LongValue l -> l.value();
            case AttributeValue.DoubleValue d -> d.value();
            case AttributeValue.BytesValue b -> b.asText();
            case AttributeValue.ArrayValue a -> {
                List<Object> out = new ArrayList<>(a.values().size());
                a.values().forEach(v -> out.add(value(v)));
                yield out;
            }
            case AttributeValue.MapValue m -> map(m.values());
        };
    }

    public static Map<String, Object> map(Attributes attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.asMap().forEach((k, v) -> out.put(k, value(v)));
        return out;
    }
}
