package dev.nightjar.core.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ordered, immutable set of OTLP attributes. Keys are non-empty and may not contain U+0000, which
 * stores use as the separator between key and value in their indexes.
 */
public record Attributes(Map<String, AttributeValue> asMap) {

    public static final Attributes EMPTY = new Attributes(Map.of());

    public Attributes {
        Objects.requireNonNull(asMap, "attributes");
        asMap = Collections.unmodifiableMap(asMap instanceof Checked checked ? checked : checkedCopy(asMap));
    }

    /**
     * A copy with every key and value checked. A {@link Checked} map (made only by {@link Builder}, which
     * checked them as they came, and hands it over) is taken as it is: the decoders build every attribute
     * set of every record through a builder, and copying each one again cost ~5 % of ingest.
     */
    private static Checked checkedCopy(Map<String, AttributeValue> asMap) {
        Checked copy = new Checked();
        for (Map.Entry<String, AttributeValue> e : asMap.entrySet()) {
            copy.put(checkKey(e.getKey()), Objects.requireNonNull(e.getValue(), "value of " + e.getKey()));
        }
        return copy;
    }

    /** Alternating string keys and values; values that are not {@link AttributeValue} are converted. */
    public static Attributes of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("attributes need key/value pairs");
        }
        Builder b = builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.put((String) keysAndValues[i], toValue(keysAndValues[i + 1]));
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<AttributeValue> get(String key) {
        return Optional.ofNullable(asMap.get(key));
    }

    /** The text form of a scalar attribute, if present. */
    public Optional<String> getText(String key) {
        AttributeValue v = asMap.get(key);
        return v != null && v.isScalar() ? Optional.of(v.asText()) : Optional.empty();
    }

    public int size() {
        return asMap.size();
    }

    public boolean isEmpty() {
        return asMap.isEmpty();
    }

    static String checkKey(String key) {
        Objects.requireNonNull(key, "attribute key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("attribute key is empty");
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("attribute key contains U+0000");
        }
        return key;
    }

    static AttributeValue toValue(Object v) {
        return switch (v) {
            case AttributeValue a -> a;
            case Attributes m -> new AttributeValue.MapValue(m);
            case String s -> AttributeValue.of(s);
            case Boolean b -> AttributeValue.of(b);
            case Integer i -> AttributeValue.of((long) i);
            case Long l -> AttributeValue.of(l);
            case Double d -> AttributeValue.of(d);
            case Float f -> AttributeValue.of((double) f);
            case byte[] bytes -> AttributeValue.ofBytes(bytes);
            case null -> throw new IllegalArgumentException("attribute value is null");
            default -> throw new IllegalArgumentException("unsupported attribute value type " + v.getClass());
        };
    }

    /**
     * A builder's map: only {@link Builder} makes one, and only with checked keys and non-null values, so
     * the constructor can take it as it is. Private, so no other code can pass an unchecked map as one.
     */
    private static final class Checked extends LinkedHashMap<String, AttributeValue> {
        private static final long serialVersionUID = 1L;

        Checked() {}

        Checked(Map<String, AttributeValue> m) {
            super(m);
        }
    }

    public static final class Builder {
        private Checked map = new Checked();
        /** The map went to an {@link Attributes}: the next change copies it first. */
        private boolean handedOver;

        private Builder() {}

        private Checked writable() {
            if (handedOver) {
                map = new Checked(map);
                handedOver = false;
            }
            return map;
        }

        public Builder put(String key, AttributeValue value) {
            writable().put(checkKey(key), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, AttributeValue.of(value));
        }

        public Builder put(String key, long value) {
            return put(key, AttributeValue.of(value));
        }

        public Builder put(String key, double value) {
            return put(key, AttributeValue.of(value));
        }

        public Builder put(String key, boolean value) {
            return put(key, AttributeValue.of(value));
        }

        public Builder putAll(Attributes attributes) {
            writable().putAll(attributes.asMap());
            return this;
        }

        public Attributes build() {
            if (map.isEmpty()) {
                return EMPTY;
            }
            handedOver = true;
            return new Attributes(map);
        }
    }
}
