package dev.nightjar.core.logs;

import dev.nightjar.core.telemetry.Limits;
import dev.nightjar.core.telemetry.Timestamps;
import java.time.Duration;
import java.util.Objects;

/**
 * Counts of the records matching {@code filter}, per time bucket and severity level. Buckets are aligned
 * to multiples of {@code bucket} since the Unix epoch: the first starts at or before the range start,
 * the last ends at or after the range end; records outside the range are not counted.
 */
public record LogHistogramQuery(LogFilter filter, Duration bucket) {

    public LogHistogramQuery {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.compareTo(Limits.MIN_BUCKET) < 0) {
            throw new IllegalArgumentException("bucket " + bucket + " is narrower than " + Limits.MIN_BUCKET);
        }
        long count = bucketCount(filter, bucket.toNanos());
        if (count > Limits.MAX_HISTOGRAM_BUCKETS) {
            throw new IllegalArgumentException(
                    count + " buckets are more than the limit " + Limits.MAX_HISTOGRAM_BUCKETS);
        }
    }

    public long bucketNanos() {
        return bucket.toNanos();
    }

    public long firstBucketStartNanos() {
        long start = Timestamps.toNanos(filter.range().start());
        return Math.floorDiv(start, bucketNanos()) * bucketNanos();
    }

    public int bucketCount() {
        return (int) bucketCount(filter, bucketNanos());
    }

    /** The bucket a time in the range falls into. */
    public int bucketIndex(long timeUnixNano) {
        return (int) ((timeUnixNano - firstBucketStartNanos()) / bucketNanos());
    }

    private static long bucketCount(LogFilter filter, long width) {
        long start = Math.floorDiv(Timestamps.toNanos(filter.range().start()), width) * width;
        long end = Timestamps.toNanos(filter.range().end());
        return end <= start ? 0 : (end - start + width - 1) / width;
    }
}
