package dev.nightjar.core.traces;

import java.time.Duration;
import java.util.Objects;

/**
 * Rate, errors and duration of a service's (or one operation's) {@linkplain Span#isEntry() entry spans}
 * in a time range (by start time). {@code operation} is null for a whole-service row. {@code
 * ratePerSecond} is requests divided by the range's length; {@code errorRatio} is errors (status ERROR)
 * divided by requests. Percentiles follow {@link DurationDigest}.
 */
public record RedStats(
        String service,
        String operation,
        long requests,
        long errors,
        double ratePerSecond,
        double errorRatio,
        Duration p50,
        Duration p95,
        Duration p99) {

    public RedStats {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p95, "p95");
        Objects.requireNonNull(p99, "p99");
    }

    /** Builds a row from raw counts over a range of {@code rangeNanos}. */
    public static RedStats of(
            String service, String operation, long errors, DurationDigest durations, long rangeNanos) {
        long requests = durations.count();
        return new RedStats(
                service,
                operation,
                requests,
                errors,
                rangeNanos <= 0 ? 0 : requests / (rangeNanos / 1e9),
                requests == 0 ? 0 : (double) errors / requests,
                Duration.ofNanos(durations.quantile(0.50)),
                Duration.ofNanos(durations.quantile(0.95)),
                Duration.ofNanos(durations.quantile(0.99)));
    }
}
