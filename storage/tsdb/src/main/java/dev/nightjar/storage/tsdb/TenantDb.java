package dev.nightjar.storage.tsdb;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.OutOfOrderWindow;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import dev.nightjar.core.metrics.SeriesValidation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** One tenant's database: head, write-ahead log and blocks, each tenant in its own directory. */
final class TenantDb implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TenantDb.class.getName());

    final TenantId tenant;
    private final TsdbOptions options;
    private final Head head;
    private final Wal wal;
    private final BlockSet blocks;
    private final Map<String, MetricMetadata> metadata = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // An append's WAL records are encoded and written after the write lock is released, under walOrder,
    // which the appender takes before releasing the write lock: records reach the WAL in the order their
    // appends changed the head (a series' creation before its samples, its samples in time order), while
    // the next appender already changes the head.
    private final ReentrantLock walOrder = new ReentrantLock();
    // The sample record encoder, reused under walOrder (its record is written before walOrder is released).
    private final WalSampleRuns walRuns = new WalSampleRuns(256, 4096);
    // Held by whoever cuts, compacts or closes (one at a time); appends and queries never take it.
    private final ReentrantLock cutLock = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor background;
    private boolean closed;
    final List<Wal.Repair> repairs = new ArrayList<>();
    private final BlockCutter cutter;

    TenantDb(TenantId tenant, Path dir, TsdbOptions options, Executor background) throws IOException {
        this.tenant = tenant;
        this.options = options;
        this.background = background;
        this.head = new Head(options.blockRange().toMillis());
        this.blocks = BlockSet.open(dir.resolve("blocks"));
        // Before replay: samples the blocks already hold (a crash between a block and its WAL checkpoint)
        // are skipped, not loaded into the head a second time.
        head.minValidTime = blocks.maxTime();
        Map<Integer, HeadSeries> replayIds = new java.util.HashMap<>();
        this.wal = Wal.open(
                dir.resolve("wal"),
                options.walSegmentBytes(),
                background,
                bytes -> replay(WalCodec.decode(bytes), replayIds),
                repairs);
        this.cutter = new BlockCutter(tenant, options, head, wal, blocks, metadata, lock);
    }

    /** Applies one replayed record; returns its newest sample time (the WAL keeps it per segment). */
    private long replay(WalRecord record, Map<Integer, HeadSeries> ids) {
        long newest = Long.MIN_VALUE;
        switch (record) {
            case WalRecord.NewSeries s -> {
                for (WalRecord.SeriesRef ref : s.series()) {
                    ids.put(ref.id(), head.register(ref.id(), ref.labels()));
                }
            }
            case WalRecord.Samples s -> {
                for (int i = 0; i < s.size(); i++) {
                    HeadSeries series = ids.get(s.ids()[i]);
                    long t = s.timestamps()[i];
                    newest = Math.max(newest, t);
                    if (series != null && t >= head.minValidTime) {
                        series.append(t, s.values()[i]);
                        head.appended(t);
                        head.maxTime = Math.max(head.maxTime, t);
                    }
                }
            }
            case WalRecord.Metadata m -> m.metadata().forEach(md -> metadata.put(md.family(), md));
            case WalRecord.MinValidTime t -> head.minValidTime = Math.max(head.minValidTime, t.time());
        }
        return newest;
    }

    AppendResult append(MetricsBatch batch) {
        return append(MetricsColumns.of(batch));
    }

    /**
     * Stores a write and returns once it is durable: the head under the write lock, the WAL record after
     * it (in the order of the head changes, see {@link #walOrder}), then the fsync (shared with concurrent
     * appenders). A due block is cut on the maintenance thread, not here; only when cuts fall two ranges
     * behind does the appender wait for one.
     */
    AppendResult append(MetricsColumns columns) {
        long position;
        boolean cut;
        boolean wait;
        AppendResult result;
        HeadAppend append;
        List<MetricMetadata> newMetadata = columns.metadata();
        HeadSeries[] resolved = new HeadSeries[columns.seriesCount()];
        lock.writeLock().lock();
        try {
            checkSeriesLimit(columns, resolved);
            long minValid = Math.max(
                    head.minValidTime,
                    OutOfOrderWindow.minValidTime(head.maxTime, options.limits().outOfOrderWindow()));
            append = new HeadAppend(head, minValid, columns);
            for (int k = 0; k < resolved.length; k++) {
                append.series(columns, k, resolved[k]);
            }
            newMetadata.forEach(md -> metadata.put(md.family(), md));
            cut = cutter.needsCut();
            wait = cut && cutter.overdue();
            result = new AppendResult(append.accepted, append.tooOld, append.duplicates);
            // Last, so nothing can fail after it: the records are now next in line for the WAL.
            walOrder.lock();
        } finally {
            lock.writeLock().unlock();
        }
        try {
            position = log(append, newMetadata);
        } catch (UncheckedIOException e) {
            throw new MetricsStoreException(
                    "metrics WAL write failed: " + e.getCause().getMessage(), true, e);
        } finally {
            walOrder.unlock();
        }
        try {
            wal.sync(position);
        } catch (UncheckedIOException e) {
            throw new MetricsStoreException(
                    "metrics WAL fsync failed: " + e.getCause().getMessage(), true, e);
        }
        if (wait) {
            try {
                maintain();
            } catch (MetricsStoreException e) {
                // The write itself is durable; a failed cut is retried by the next append that finds it due.
                LOG.log(Level.ERROR, "metrics block cut for tenant " + tenant + " failed: " + e.getMessage(), e);
            }
        } else if (cut) {
            scheduleMaintenance();
        }
        return result;
    }

    /**
     * Encodes and writes the append's WAL records (new series before their samples), the caller holding
     * {@link #walOrder}; returns the position to sync.
     */
    private long log(HeadAppend append, List<MetricMetadata> newMetadata) {
        long position = 0;
        if (!append.created.isEmpty()) {
            position = wal.write(WalCodec.encode(new WalRecord.NewSeries(append.created)));
        }
        if (append.hasSamples()) {
            WalSampleRuns record = append.encode(walRuns);
            position = wal.write(record.buffer(), record.length(), append.newest);
        }
        if (!newMetadata.isEmpty()) {
            position = wal.write(WalCodec.encode(new WalRecord.Metadata(newMetadata)));
        }
        return position;
    }

    /**
     * Looks every series up once (the append reuses the result) and refuses the whole write when its new
     * series would pass the tenant's limit, before anything is changed. New series' labels are validated
     * here, before anything is stored.
     */
    private void checkSeriesLimit(MetricsColumns columns, HeadSeries[] resolved) {
        Set<Labels> fresh = null;
        int[] offsets = columns.offsets();
        for (int k = 0; k < resolved.length; k++) {
            Labels labels = columns.series().get(k);
            resolved[k] = head.get(labels);
            if (resolved[k] == null) {
                SeriesValidation.check(labels);
                if (offsets[k + 1] > offsets[k]) {
                    if (fresh == null) {
                        fresh = new HashSet<>();
                    }
                    fresh.add(labels);
                }
            }
        }
        int created = fresh == null ? 0 : fresh.size();
        long limit = options.limits().maxSeriesPerTenant();
        if (head.seriesCount() + created > limit) {
            throw new SeriesLimitExceededException(tenant, limit, head.seriesCount(), created);
        }
    }

    /** Queues a cut on the store's maintenance thread unless one is queued or running. */
    private void scheduleMaintenance() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    maintain();
                } catch (RuntimeException e) {
                    // The head keeps everything (and the WAL too); the next append that finds a block due
                    // tries again.
                    LOG.log(Level.ERROR, "metrics maintenance for tenant " + tenant + " failed: " + e.getMessage(), e);
                } finally {
                    scheduled.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
        }
    }

    /**
     * Cuts every due block range out of the head, checkpoints the WAL, compacts blocks and applies
     * retention. Appends go on meanwhile: the tenant's write lock is held only to freeze a range and to
     * swap the written block in for it. One caller at a time (the store's maintenance thread, or a
     * caller that wants it done now and waits for a running one).
     */
    void maintain() {
        cutLock.lock();
        try {
            if (closed) {
                return;
            }
            cutter.maintainLocked(Long.MIN_VALUE);
        } catch (IOException e) {
            throw new MetricsStoreException("metrics block write failed: " + e.getMessage(), true, e);
        } finally {
            cutLock.unlock();
        }
    }

    /** Series matching the matchers with their samples in {@code [mint, maxt]} ({@link TenantReads}). */
    List<Series> select(List<Matcher> matchers, long mint, long maxt) {
        lock.readLock().lock();
        try {
            return TenantReads.select(head, blocks, matchers, mint, maxt);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Labels of series matching the matchers (every series when none) with samples in the range. */
    Set<Labels> matchingLabels(List<Matcher> matchers, long mint, long maxt) {
        lock.readLock().lock();
        try {
            return TenantReads.matchingLabels(head, blocks, matchers, mint, maxt);
        } finally {
            lock.readLock().unlock();
        }
    }

    List<MetricMetadata> metadata() {
        lock.readLock().lock();
        try {
            return List.copyOf(metadata.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    TsdbStats stats() {
        lock.readLock().lock();
        try {
            return new TsdbStats(
                    head.seriesCount(), blocks.count(), blocks.diskBytes(), blocks.samples(), wal.syncCount());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Forces the head into blocks up to {@code time} (used by benchmarks and shutdown tooling). */
    void flushBefore(long time) {
        cutLock.lock();
        try {
            if (!closed) {
                cutter.maintainLocked(time);
            }
        } catch (IOException e) {
            throw new MetricsStoreException("metrics block write failed: " + e.getMessage(), true, e);
        } finally {
            cutLock.unlock();
        }
    }

    /** Finishes a due cut (waiting for a running one), then closes the WAL. */
    @Override
    public void close() throws IOException {
        cutLock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                cutter.maintainLocked(Long.MIN_VALUE);
            } catch (IOException | RuntimeException e) {
                // Nothing is lost: the WAL still holds what the head held.
                LOG.log(
                        Level.WARNING,
                        "metrics maintenance at close for tenant " + tenant + " failed: " + e.getMessage());
            }
            closed = true;
            lock.writeLock().lock();
            // An append that changed the head before this writes its records first.
            walOrder.lock();
            try {
                wal.close();
            } finally {
                walOrder.unlock();
                lock.writeLock().unlock();
            }
        } finally {
            cutLock.unlock();
        }
    }
}
