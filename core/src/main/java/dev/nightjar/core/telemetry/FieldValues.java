package dev.nightjar.core.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What exact filters, numeric ranges and top values see of an attribute value. Backends index through
 * these functions (and the in-memory store matches through them) so every backend agrees.
 */
public final class FieldValues {

    private FieldValues() {}

    /** The distinct keyword texts of a value: a scalar's text, or each scalar element of an array. */
    public static List<String> keywords(AttributeValue value) {
        if (value == null) {
            return List.of();
        }
        if (value.isScalar()) {
            return List.of(value.asText());
        }
        if (value instanceof AttributeValue.ArrayValue array) {
            Set<String> out = new LinkedHashSet<>();
            for (AttributeValue e : array.values()) {
                if (e.isScalar()) {
                    out.add(e.asText());
                }
            }
            return new ArrayList<>(out);
        }
        return List.of();
    }

    public static List<String> keywords(Optional<AttributeValue> value) {
        return keywords(value.orElse(null));
    }

    /** The number of an integer or double value (NaN counts as none). */
    public static OptionalDouble number(AttributeValue value) {
        return switch (value) {
            case AttributeValue.LongValue l -> OptionalDouble.of(l.value());
            case AttributeValue.DoubleValue d when !Double.isNaN(d.value()) -> OptionalDouble.of(d.value());
            case null, default -> OptionalDouble.empty();
        };
    }

    /** The resource or record attributes a (non-intrinsic) field reads. */
    public static Attributes attributesOf(FieldRef field, Resource resource, Attributes attributes) {
        return switch (field.scope()) {
            case RESOURCE -> resource.attributes();
            case ATTRIBUTE -> attributes;
            case INTRINSIC -> throw new IllegalArgumentException("intrinsic field " + field + " has no attributes");
        };
    }
}
