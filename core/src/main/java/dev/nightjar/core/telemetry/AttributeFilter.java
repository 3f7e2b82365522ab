package dev.nightjar.core.telemetry;

import java.util.Objects;

/**
 * An exact match {@code field = value}. A scalar attribute matches when its {@linkplain
 * AttributeValue#asText() text form} equals {@code value} (case-sensitive); an array attribute
 * matches when any scalar element does. Bytes and map values never match.
 */
public record AttributeFilter(FieldRef field, String value) {

    public AttributeFilter {
        Objects.requireNonNull(field, "filter field");
        Objects.requireNonNull(value, "filter value");
        if (value.length() > Limits.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("filter value longer than " + Limits.MAX_VALUE_LENGTH + " characters");
        }
        value = field.normalize(value);
    }

    public static AttributeFilter resource(String key, String value) {
        return new AttributeFilter(FieldRef.resource(key), value);
    }

    public static AttributeFilter attribute(String key, String value) {
        return new AttributeFilter(FieldRef.attribute(key), value);
    }

    public static AttributeFilter intrinsic(String key, String value) {
        return new AttributeFilter(FieldRef.intrinsic(key), value);
    }

    /** Parses {@code field=value} (see {@link FieldRef#parse}); the first {@code =} splits. */
    public static AttributeFilter parse(String text) {
        Objects.requireNonNull(text, "filter");
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("filter must look like field=value");
        }
        return new AttributeFilter(FieldRef.parse(text.substring(0, eq)), text.substring(eq + 1));
    }
}
