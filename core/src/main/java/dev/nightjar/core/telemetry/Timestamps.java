package dev.nightjar.core.telemetry;

import dev.nightjar.core.TimeRange;
import java.time.Instant;
import java.util.Objects;

/** Conversions between {@link Instant} and OTLP's unsigned 64-bit Unix-epoch nanoseconds. */
public final class Timestamps {

    /** The latest instant representable as signed 64-bit epoch nanos (2262-04-11). */
    public static final Instant MAX = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private Timestamps() {}

    public static long toNanos(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(MAX)) {
            throw new IllegalArgumentException("instant " + instant + " is outside 1970..2262");
        }
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    public static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** Checks a query range: inside 1970..2262 and no longer than {@link Limits#MAX_QUERY_RANGE}. */
    public static TimeRange checkQueryRange(TimeRange range) {
        Objects.requireNonNull(range, "time range");
        toNanos(range.start());
        toNanos(range.end());
        if (range.duration().compareTo(Limits.MAX_QUERY_RANGE) > 0) {
            throw new IllegalArgumentException(
                    "time range " + range.duration() + " is longer than the limit " + Limits.MAX_QUERY_RANGE);
        }
        return range;
    }
}
