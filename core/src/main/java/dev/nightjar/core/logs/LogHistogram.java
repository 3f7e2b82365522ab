package dev.nightjar.core.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The answer to a {@link LogHistogramQuery}: every bucket of the range in time order, empty ones too. */
public record LogHistogram(Duration bucketWidth, List<Bucket> buckets) {

    public LogHistogram {
        buckets = List.copyOf(buckets);
    }

    /** Builds the answer from a {@code [bucket][SeverityLevel.ordinal()]} count matrix. */
    public static LogHistogram of(LogHistogramQuery query, long[][] counts) {
        List<Bucket> list = new java.util.ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            Map<SeverityLevel, Long> m = new EnumMap<>(SeverityLevel.class);
            for (SeverityLevel level : SeverityLevel.values()) {
                if (counts[i][level.ordinal()] != 0) {
                    m.put(level, counts[i][level.ordinal()]);
                }
            }
            long startNanos = query.firstBucketStartNanos() + i * query.bucketNanos();
            list.add(new Bucket(dev.nightjar.core.telemetry.Timestamps.toInstant(startNanos), m));
        }
        return new LogHistogram(query.bucket(), list);
    }

    public long total() {
        return buckets.stream().mapToLong(Bucket::total).sum();
    }

    /** One time bucket; {@code counts} holds only non-zero levels. */
    public record Bucket(Instant start, Map<SeverityLevel, Long> counts) {

        public Bucket {
            counts = counts.isEmpty() ? Map.of() : Map.copyOf(counts);
        }

        public long count(SeverityLevel level) {
            return counts.getOrDefault(level, 0L);
        }

        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
