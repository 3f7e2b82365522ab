package dev.nightjar.storage.tsdb;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One tenant's block maintenance: when a block is due, cutting it out of the head while appends go on,
 * the WAL checkpoint, compaction and retention. Runs on the store's maintenance thread (or for a caller
 * that wants it now), one caller at a time ({@link TenantDb} holds its cut lock around every call but
 * {@link #needsCut} and {@link #overdue}, which appends ask under the tenant's write lock).
 */
final class BlockCutter {

    private final TenantId tenant;
    private final TsdbOptions options;
    private final Head head;
    private final Wal wal;
    private final BlockSet blocks;
    private final Map<String, MetricMetadata> metadata;
    private final ReentrantReadWriteLock lock;

    BlockCutter(
            TenantId tenant,
            TsdbOptions options,
            Head head,
            Wal wal,
            BlockSet blocks,
            Map<String, MetricMetadata> metadata,
            ReentrantReadWriteLock lock) {
        this.tenant = tenant;
        this.options = options;
        this.head = head;
        this.wal = wal;
        this.blocks = blocks;
        this.metadata = metadata;
        this.lock = lock;
    }

    /** Start of the oldest block range in the head, or {@code Long.MAX_VALUE} when the head is empty. */
    private long oldestRange() {
        long range = options.blockRange().toMillis();
        long min = Math.max(head.minTime(), head.minValidTime);
        return min == Long.MAX_VALUE ? Long.MAX_VALUE : Math.floorDiv(min, range) * range;
    }

    /** The head spans 1.5 block ranges: its oldest range is due as a block (as in Prometheus). */
    boolean needsCut() {
        return dueBy(options.blockRange().toMillis() / 2);
    }

    /**
     * The background cut has fallen behind by two more ranges: the appender waits for it, so the head
     * (memory) stays bounded when writes outpace block writing.
     */
    boolean overdue() {
        return dueBy(2 * options.blockRange().toMillis());
    }

    private boolean dueBy(long slack) {
        long start = oldestRange();
        if (head.maxTime == Long.MIN_VALUE || start == Long.MAX_VALUE) {
            return false;
        }
        return head.maxTime >= start + options.blockRange().toMillis() + slack;
    }

    /**
     * Cuts every due block range (and every whole range that ends by {@code flushBefore}), checkpoints the
     * WAL, compacts blocks and applies retention; the caller holds the tenant's cut lock.
     */
    void maintainLocked(long flushBefore) throws IOException {
        boolean cutAny = false;
        HeadCut cut;
        while ((cut = freezeOldest(flushBefore)) != null) {
            cutBlock(cut);
            cutAny = true;
        }
        if (cutAny || flushBefore != Long.MIN_VALUE) {
            checkpointWal();
        }
        long closedBefore;
        lock.readLock().lock();
        try {
            closedBefore = head.minValidTime;
        } finally {
            lock.readLock().unlock();
        }
        // Blocks are replaced whole (a volatile list) and only by this caller: reads need no tenant lock.
        blocks.compact(options.blockRange().toMillis(), closedBefore);
        if (flushBefore == Long.MIN_VALUE) {
            // A flush (tools, benchmarks loading old data) writes blocks without expiring any.
            blocks.applyRetention(
                    options.clock().millis() - options.retention().apply(tenant).toMillis());
        }
    }

    /**
     * Freezes the oldest block range when it is due (or ends by {@code flushBefore}) and refuses samples
     * before its end from now on (they would miss the block); null when nothing is due.
     */
    private HeadCut freezeOldest(long flushBefore) {
        lock.writeLock().lock();
        try {
            long range = options.blockRange().toMillis();
            long lo = oldestRange();
            boolean flush = head.seriesCount() > 0 && lo != Long.MAX_VALUE && lo + range <= flushBefore;
            if (!flush && !needsCut()) {
                return null;
            }
            HeadCut cut = HeadCut.freeze(head, lo, lo + range);
            minValidBeforeCut = head.minValidTime;
            head.minValidTime = Math.max(head.minValidTime, lo + range);
            return cut;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private long minValidBeforeCut;

    /**
     * Writes the frozen range as a block without the tenant's lock, then publishes it and drops the range
     * from the head in one step under the write lock, so a query sees each sample exactly once. If the
     * block cannot be written, the head keeps the range and its bound goes back.
     */
    private void cutBlock(HeadCut cut) throws IOException {
        boolean written = false;
        Block block = null;
        try {
            wal.roll();
            Path dir = cut.write(blocks.dir());
            block = dir == null ? null : Block.open(dir);
            written = true;
        } finally {
            lock.writeLock().lock();
            try {
                if (written) {
                    if (block != null) {
                        blocks.publish(block);
                    }
                    head.truncate(cut.maxTime);
                } else {
                    head.minValidTime = minValidBeforeCut;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /**
     * Lets the WAL forget segments whose samples are all in blocks now: a checkpoint with the live
     * series (every id they go by), the metadata and the new lower bound replaces them. Samples still
     * only in the head stay where they are, in the later segments; nothing is rewritten.
     */
    private void checkpointWal() throws IOException {
        List<byte[]> records = new ArrayList<>(3);
        int upTo;
        lock.readLock().lock();
        try {
            upTo = wal.closedBefore(head.minValidTime);
            if (upTo == 0) {
                return;
            }
            records.add(WalCodec.encode(new WalRecord.MinValidTime(head.minValidTime)));
            records.add(WalCodec.encode(new WalRecord.NewSeries(head.refs())));
            if (!metadata.isEmpty()) {
                records.add(WalCodec.encode(new WalRecord.Metadata(List.copyOf(metadata.values()))));
            }
        } finally {
            lock.readLock().unlock();
        }
        wal.checkpoint(upTo, records);
    }
}
