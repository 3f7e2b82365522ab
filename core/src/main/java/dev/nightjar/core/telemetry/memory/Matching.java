package dev.nightjar.core.telemetry.memory;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.Timestamps;
import java.util.List;
import java.util.OptionalDouble;

/** Filter evaluation shared by the in-memory log and span readers. */
final class Matching {

    private Matching() {}

    static boolean inRange(TimeRange range, long nanos) {
        return nanos >= Timestamps.toNanos(range.start()) && nanos < Timestamps.toNanos(range.end());
    }

    static boolean attributesMatch(
            List<AttributeFilter> filters, List<NumericRangeFilter> ranges, Resource resource, Attributes attributes) {
        for (AttributeFilter f : filters) {
            Attributes source = FieldValues.attributesOf(f.field(), resource, attributes);
            if (!FieldValues.keywords(source.get(f.field().key())).contains(f.value())) {
                return false;
            }
        }
        for (NumericRangeFilter r : ranges) {
            Attributes source = FieldValues.attributesOf(r.field(), resource, attributes);
            OptionalDouble v = FieldValues.number(source.get(r.field().key()).orElse(null));
            if (v.isEmpty() || !r.matches(v.getAsDouble())) {
                return false;
            }
        }
        return true;
    }
}
