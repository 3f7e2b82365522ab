package dev.nightjar.core.logs;

import java.util.Comparator;
import java.util.Objects;

/** One field value and how many records have it. */
public record ValueCount(String value, long count) {

    /** Count descending, then value ascending. */
    public static final Comparator<ValueCount> ORDER =
            Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value);

    public ValueCount {
        Objects.requireNonNull(value, "value");
    }
}
