package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.Timestamps;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When {@link LogCompaction} runs for a store: on demand, and as a background pass on a thread of its own
 * (never the refresh thread, so merges cannot delay searchability). One lock keeps an on-demand run and the
 * background pass from merging the same partition at once.
 */
final class LogCompactor {

    private static final Logger LOG = Logger.getLogger(LogCompactor.class.getName());

    private final LuceneStorage storage;
    private final Duration delay;
    private final Consumer<Throwable> onFailure;
    private final Object lock = new Object();
    /** Null when the background pass is turned off. */
    private final ScheduledExecutorService executor;

    LogCompactor(LuceneStorage storage, Duration interval, Duration delay, Consumer<Throwable> onFailure) {
        this.storage = storage;
        this.delay = delay;
        this.onFailure = onFailure;
        if (interval == null) {
            this.executor = null;
            return;
        }
        long everyMs = interval.toMillis();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightjar-log-compaction");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::backgroundPass, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    /** Merges the small blocks older than {@code olderThan} in {@code partitions}. */
    LogCompactionResult compact(List<Partition> partitions, Instant olderThan) throws IOException {
        long cutoff = olderThan.isBefore(Instant.EPOCH) ? 0 : Timestamps.toNanos(olderThan);
        synchronized (lock) {
            return LogCompaction.run(storage, partitions, cutoff, -1);
        }
    }

    /** Open log partitions only: an idle partition was merged before it closed. */
    private void backgroundPass() {
        long delayNanos = delay.toNanos();
        long cutoff = Timestamps.toNanos(Instant.now()) - delayNanos;
        try {
            List<Partition> partitions = storage.logPartitions(true);
            synchronized (lock) {
                LogCompaction.run(storage, partitions, cutoff, delayNanos);
            }
        } catch (IllegalStateException e) {
            // the store closed under the pass
        } catch (IOException | RuntimeException e) {
            onFailure.accept(e);
            LOG.log(Level.WARNING, "log compaction failed", e);
        }
    }

    /** Stops the background pass; a running pass stops at its next partition (the store is closed). */
    void shutdown() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    void awaitTermination() throws InterruptedException {
        if (executor != null) {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
