package dev.nightjar.core.telemetry;

import java.util.Objects;

/**
 * A numeric range {@code min <= field <= max} (both inclusive; a null bound is open) on a resource or
 * record attribute. Integer and double attributes match; values are compared as doubles, so integers
 * beyond 2^53 compare approximately. Strings, bools and arrays never match.
 */
public record NumericRangeFilter(FieldRef field, Double min, Double max) {

    public NumericRangeFilter {
        Objects.requireNonNull(field, "range field");
        if (field.scope() == FieldRef.Scope.INTRINSIC) {
            throw new IllegalArgumentException("numeric ranges apply to resource or record attributes");
        }
        if (min == null && max == null) {
            throw new IllegalArgumentException("numeric range needs a min or a max");
        }
        if ((min != null && min.isNaN()) || (max != null && max.isNaN())) {
            throw new IllegalArgumentException("numeric range bound is NaN");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("numeric range min " + min + " is above max " + max);
        }
    }

    public static NumericRangeFilter of(FieldRef field, Double min, Double max) {
        return new NumericRangeFilter(field, min, max);
    }

    public boolean matches(double v) {
        return (min == null || v >= min) && (max == null || v <= max);
    }
}
