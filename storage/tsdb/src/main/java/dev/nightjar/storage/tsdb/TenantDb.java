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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** One tenant's database: head, write-ahead log and blocks, each tenant in its own directory. */
final class TenantDb implements AutoCloseable {

    final TenantId tenant;
    private final TsdbOptions options;
    private final Head head;
    private final Wal wal;
    private final BlockSet blocks;
    private final Map<String, MetricMetadata> metadata = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final List<Wal.Repair> repairs = new ArrayList<>();

    TenantDb(TenantId tenant, Path dir, TsdbOptions options) throws IOException {
        this.tenant = tenant;
        this.options = options;
        this.head = new Head(options.blockRange().toMillis());
        this.blocks = BlockSet.open(dir.resolve("blocks"));
        Map<Integer, HeadSeries> replayIds = new java.util.HashMap<>();
        this.wal = Wal.open(
                dir.resolve("wal"),
                options.walSegmentBytes(),
                bytes -> replay(WalCodec.decode(bytes), replayIds),
                repairs);
        head.minValidTime = Math.max(head.minValidTime, blocks.maxTime());
    }

    private void replay(WalRecord record, Map<Integer, HeadSeries> ids) {
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
    }

    AppendResult append(MetricsBatch batch) {
        return append(MetricsColumns.of(batch));
    }

    /**
     * Stores a write and returns once it is durable: head and WAL under the write lock, then the fsync
     * outside it (shared with concurrent appenders), then block maintenance when a block is due.
     */
    AppendResult append(MetricsColumns columns) {
        long position;
        boolean cut;
        AppendResult result;
        HeadSeries[] resolved = new HeadSeries[columns.seriesCount()];
        lock.writeLock().lock();
        try {
            checkSeriesLimit(columns, resolved);
            long minValid = Math.max(
                    head.minValidTime,
                    OutOfOrderWindow.minValidTime(head.maxTime, options.limits().outOfOrderWindow()));
            HeadAppend append = new HeadAppend(head, minValid, columns);
            for (int k = 0; k < resolved.length; k++) {
                append.series(columns, k, resolved[k]);
            }
            columns.metadata().forEach(md -> metadata.put(md.family(), md));
            position = log(append, columns.metadata());
            cut = needsCut();
            result = new AppendResult(append.accepted, append.tooOld, append.duplicates);
        } catch (UncheckedIOException e) {
            throw new MetricsStoreException(
                    "metrics WAL write failed: " + e.getCause().getMessage(), true, e);
        } finally {
            lock.writeLock().unlock();
        }
        try {
            wal.sync(position);
        } catch (UncheckedIOException e) {
            throw new MetricsStoreException(
                    "metrics WAL fsync failed: " + e.getCause().getMessage(), true, e);
        }
        if (cut) {
            maintain();
        }
        return result;
    }

    /** Writes the append's WAL records (new series before their samples); returns the position to sync. */
    private long log(HeadAppend append, List<MetricMetadata> newMetadata) {
        long position = 0;
        if (!append.created.isEmpty()) {
            position = wal.write(WalCodec.encode(new WalRecord.NewSeries(append.created)));
        }
        if (!append.wal.isEmpty()) {
            position = wal.write(append.wal.buffer(), append.wal.length());
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

    private boolean needsCut() {
        long range = options.blockRange().toMillis();
        long min = Math.max(head.minTime(), head.minValidTime);
        if (head.maxTime == Long.MIN_VALUE || min == Long.MAX_VALUE) {
            return false;
        }
        long blockEnd = Math.floorDiv(min, range) * range + range;
        return head.maxTime >= blockEnd + range / 2;
    }

    /** Cuts full block ranges out of the head, compacts blocks and applies retention. */
    void maintain() {
        lock.writeLock().lock();
        try {
            boolean cutAny = false;
            while (needsCut()) {
                cutBlock();
                cutAny = true;
            }
            if (cutAny) {
                checkpointWal();
            }
            blocks.compact(options.blockRange().toMillis(), head.minValidTime);
            blocks.applyRetention(
                    options.clock().millis() - options.retention().apply(tenant).toMillis());
        } catch (IOException e) {
            throw new MetricsStoreException("metrics block write failed: " + e.getMessage(), true, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void cutBlock() throws IOException {
        long range = options.blockRange().toMillis();
        long lo = Math.floorDiv(Math.max(head.minTime(), head.minValidTime), range) * range;
        long hi = lo + range;
        List<HeadSeries> series = head.all();
        series.sort((a, b) -> a.labels.compareTo(b.labels));
        List<BlockWriter.SeriesChunks> out = new ArrayList<>();
        for (HeadSeries s : series) {
            SampleBuffer buffer = new SampleBuffer();
            s.collect(lo, hi - 1, buffer);
            if (buffer.size() > 0) {
                out.add(new BlockWriter.SeriesChunks(s.labels, Chunks.encode(buffer)));
            }
        }
        if (!out.isEmpty()) {
            blocks.add(BlockWriter.write(blocks.dir(), lo, hi, 1, out));
        }
        head.truncate(hi);
    }

    private void checkpointWal() throws IOException {
        List<byte[]> records = new ArrayList<>();
        records.add(WalCodec.encode(new WalRecord.MinValidTime(head.minValidTime)));
        List<HeadSeries> all = head.all();
        List<WalRecord.SeriesRef> refs = new ArrayList<>(all.size());
        for (HeadSeries s : all) {
            refs.add(new WalRecord.SeriesRef(s.id, s.labels));
        }
        records.add(WalCodec.encode(new WalRecord.NewSeries(refs)));
        checkpointSamples(all, records);
        if (!metadata.isEmpty()) {
            records.add(WalCodec.encode(new WalRecord.Metadata(List.copyOf(metadata.values()))));
        }
        wal.checkpoint(records);
    }

    /**
     * The head's samples as sample-run records of at most {@link #CHECKPOINT_RECORD} samples and runs each
     * (a series longer than that continues in the next record), encoded without a per-sample object.
     */
    private static void checkpointSamples(List<HeadSeries> all, List<byte[]> records) {
        WalSampleRuns runs = new WalSampleRuns(CHECKPOINT_RECORD, CHECKPOINT_RECORD);
        int samples = 0;
        int runCount = 0;
        for (HeadSeries s : all) {
            SampleBuffer buffer = new SampleBuffer();
            s.collect(Long.MIN_VALUE, Long.MAX_VALUE, buffer);
            for (int i = 0; i < buffer.size(); ) {
                if (samples == CHECKPOINT_RECORD || runCount == CHECKPOINT_RECORD) {
                    records.add(runs.take());
                    samples = 0;
                    runCount = 0;
                }
                int n = Math.min(buffer.size() - i, CHECKPOINT_RECORD - samples);
                runs.begin(s.id);
                for (int k = i; k < i + n; k++) {
                    runs.add(buffer.timestamp(k), buffer.value(k));
                }
                runs.end();
                runCount++;
                samples += n;
                i += n;
            }
        }
        if (!runs.isEmpty()) {
            records.add(runs.take());
        }
    }

    private static final int CHECKPOINT_RECORD = 100_000;

    /**
     * Block chunks are handed out still compressed ({@link SelectedSeries}) and decoded while the
     * caller iterates; the head's samples are copied out, since the head changes under appends.
     */
    List<Series> select(List<Matcher> matchers, long mint, long maxt) {
        lock.readLock().lock();
        try {
            TreeMap<Labels, List<SelectedSeries.Run>> merged = new TreeMap<>();
            for (Block block : blocks.overlapping(mint, maxt)) {
                for (int id : block.select(matchers)) {
                    List<SelectedSeries.Run> runs = new ArrayList<>(2);
                    block.runs(id, mint, maxt, runs);
                    if (!runs.isEmpty()) {
                        merged.computeIfAbsent(block.labels(id), l -> new ArrayList<>(4))
                                .addAll(runs);
                    }
                }
            }
            for (HeadSeries s : head.select(matchers)) {
                SampleBuffer buffer = new SampleBuffer();
                s.collect(mint, maxt, buffer);
                if (buffer.size() > 0) {
                    merged.computeIfAbsent(s.labels, l -> new ArrayList<>(1))
                            .add(new SelectedSeries.Run(null, buffer.toSeries(Labels.EMPTY)));
                }
            }
            List<Series> out = new ArrayList<>(merged.size());
            merged.forEach((labels, runs) -> out.add(series(labels, runs, mint, maxt)));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs that overlap in time (rare: a block and the head sharing a window) are merged eagerly. */
    private static Series series(Labels labels, List<SelectedSeries.Run> runs, long mint, long maxt) {
        boolean ordered = true;
        for (int i = 1; i < runs.size() && ordered; i++) {
            ordered = runs.get(i).minTime() > runs.get(i - 1).maxTime();
        }
        if (ordered) {
            return new SelectedSeries(labels, List.copyOf(runs), mint, maxt);
        }
        SampleBuffer merged = new SampleBuffer();
        for (SelectedSeries.Run run : runs) {
            SampleBuffer buffer = new SampleBuffer();
            buffer.addRange(run.iterator(), mint, maxt);
            merged.addAll(buffer);
        }
        return merged.toSeries(labels);
    }

    /** Labels of series matching the matchers (every series when none) with samples in the range. */
    Set<Labels> matchingLabels(List<Matcher> matchers, long mint, long maxt) {
        lock.readLock().lock();
        try {
            Set<Labels> out = new TreeSet<>();
            for (Block block : blocks.overlapping(mint, maxt)) {
                int[] ids = matchers.isEmpty() ? allIds(block.seriesCount()) : block.select(matchers);
                for (int id : ids) {
                    if (block.hasSamplesIn(id, mint, maxt)) {
                        out.add(block.labels(id));
                    }
                }
            }
            for (HeadSeries s : matchers.isEmpty() ? head.all() : head.select(matchers)) {
                if (s.hasSamplesIn(mint, maxt)) {
                    out.add(s.labels);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static int[] allIds(int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i;
        }
        return ids;
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
        lock.writeLock().lock();
        try {
            long range = options.blockRange().toMillis();
            while (head.seriesCount() > 0
                    && Math.floorDiv(Math.max(head.minTime(), head.minValidTime), range) * range + range <= time) {
                cutBlock();
            }
            checkpointWal();
            blocks.compact(range, head.minValidTime);
        } catch (IOException e) {
            throw new MetricsStoreException("metrics block write failed: " + e.getMessage(), true, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            wal.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
