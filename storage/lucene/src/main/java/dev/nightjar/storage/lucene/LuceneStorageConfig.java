package dev.nightjar.storage.lucene;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link LuceneStorage}.
 *
 * @param baseDirectory where every tenant's indexes live (created if missing)
 * @param partitionSize the time span of one index; divides a day, at least one hour (default: one day)
 * @param refreshInterval how soon writes become visible without {@code flush()} (default: 1 s)
 * @param commitInterval how often the store commits by itself; {@code null} leaves commits to the caller
 *     (default: 60 s; a WAL-driven caller still calls {@code commit()} before truncating its log)
 * @param ramBufferMb indexing buffer of each partition's writer before it flushes a segment (default: 64)
 * @param minFreeDiskBytes below this much usable disk, writes fail with a retryable over-capacity error
 *     (default: 256 MiB)
 * @param partitionIdleTimeout a partition neither written nor read for this long is committed and closed,
 *     releasing its files and writer; the next use reopens it (default: 10 min; {@code null}: never)
 * @param logCompactionInterval how often a background pass merges small log blocks into larger ones
 *     (default: 5 min; {@code null}: never, only {@link LuceneStorage#compactLogs})
 * @param logCompactionDelay a log block is merged once its newest record is this much older than now, or
 *     once its partition has not been written for this long (default: 1 h)
 */
public record LuceneStorageConfig(
        Path baseDirectory,
        Duration partitionSize,
        Duration refreshInterval,
        Duration commitInterval,
        double ramBufferMb,
        long minFreeDiskBytes,
        Duration partitionIdleTimeout,
        Duration logCompactionInterval,
        Duration logCompactionDelay) {

    public LuceneStorageConfig {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(partitionSize, "partitionSize");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (partitionSize.compareTo(Duration.ofHours(1)) < 0
                || Duration.ofDays(1).toNanos() % partitionSize.toNanos() != 0) {
            throw new IllegalArgumentException("partition size must divide a day and be at least an hour");
        }
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refresh interval must be positive");
        }
        if (commitInterval != null && (commitInterval.isNegative() || commitInterval.isZero())) {
            throw new IllegalArgumentException("commit interval must be positive (or null for caller-driven commits)");
        }
        if (!(ramBufferMb >= 1 && ramBufferMb <= 2048)) {
            throw new IllegalArgumentException("RAM buffer must be 1..2048 MB");
        }
        if (minFreeDiskBytes < 0) {
            throw new IllegalArgumentException("minFreeDiskBytes is negative");
        }
        if (partitionIdleTimeout != null && partitionIdleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("partition idle timeout must be at least a second (or null: never)");
        }
        if (logCompactionInterval != null && logCompactionInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("log compaction interval must be at least a second (or null: never)");
        }
        Objects.requireNonNull(logCompactionDelay, "logCompactionDelay");
        if (logCompactionDelay.isNegative()) {
            throw new IllegalArgumentException("log compaction delay is negative");
        }
    }

    /** Defaults: daily partitions, 1 s refresh, 60 s commit, 64 MB buffers, 256 MiB disk reserve. */
    public static LuceneStorageConfig defaults(Path baseDirectory) {
        return new LuceneStorageConfig(
                baseDirectory,
                Duration.ofDays(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                64,
                256L << 20,
                Duration.ofMinutes(10),
                Duration.ofMinutes(5),
                Duration.ofHours(1));
    }

    public LuceneStorageConfig withPartitionSize(Duration v) {
        return with(s -> s.partitionSize = v);
    }

    public LuceneStorageConfig withRefreshInterval(Duration v) {
        return with(s -> s.refreshInterval = v);
    }

    public LuceneStorageConfig withCommitInterval(Duration v) {
        return with(s -> s.commitInterval = v);
    }

    public LuceneStorageConfig withRamBufferMb(double v) {
        return with(s -> s.ramBufferMb = v);
    }

    public LuceneStorageConfig withMinFreeDiskBytes(long v) {
        return with(s -> s.minFreeDiskBytes = v);
    }

    public LuceneStorageConfig withPartitionIdleTimeout(Duration v) {
        return with(s -> s.partitionIdleTimeout = v);
    }

    public LuceneStorageConfig withLogCompactionInterval(Duration v) {
        return with(s -> s.logCompactionInterval = v);
    }

    public LuceneStorageConfig withLogCompactionDelay(Duration v) {
        return with(s -> s.logCompactionDelay = v);
    }

    private LuceneStorageConfig with(Consumer<Settings> change) {
        Settings s = new Settings(this);
        change.accept(s);
        return s.build();
    }

    /** A mutable copy of the settings, so each {@code with…} changes one and keeps the others. */
    private static final class Settings {
        Path baseDirectory;
        Duration partitionSize;
        Duration refreshInterval;
        Duration commitInterval;
        double ramBufferMb;
        long minFreeDiskBytes;
        Duration partitionIdleTimeout;
        Duration logCompactionInterval;
        Duration logCompactionDelay;

        Settings(LuceneStorageConfig c) {
            baseDirectory = c.baseDirectory;
            partitionSize = c.partitionSize;
            refreshInterval = c.refreshInterval;
            commitInterval = c.commitInterval;
            ramBufferMb = c.ramBufferMb;
            minFreeDiskBytes = c.minFreeDiskBytes;
            partitionIdleTimeout = c.partitionIdleTimeout;
            logCompactionInterval = c.logCompactionInterval;
            logCompactionDelay = c.logCompactionDelay;
        }

        LuceneStorageConfig build() {
            return new LuceneStorageConfig(
                    baseDirectory,
                    partitionSize,
                    refreshInterval,
                    commitInterval,
                    ramBufferMb,
                    minFreeDiskBytes,
                    partitionIdleTimeout,
                    logCompactionInterval,
                    logCompactionDelay);
        }
    }
}
