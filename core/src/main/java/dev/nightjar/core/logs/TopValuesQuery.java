package dev.nightjar.core.logs;

import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.Limits;
import java.util.Objects;

/**
 * The most frequent values of {@code field} among records matching {@code filter}: at most {@code
 * limit}, by count descending, then value ascending. A record counts once per distinct scalar value of
 * the field (array elements count separately); records without the field are not counted.
 */
public record TopValuesQuery(LogFilter filter, FieldRef field, int limit) {

    public TopValuesQuery {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(field, "field");
        if (field.scope() == FieldRef.Scope.INTRINSIC
                && (field.key().equals(FieldRef.TRACE_ID) || field.key().equals(FieldRef.SPAN_ID))) {
            throw new IllegalArgumentException(
                    "ids are unique per request; top values of " + field + " are not offered");
        }
        if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1.." + Limits.MAX_PAGE_SIZE);
        }
    }
}
