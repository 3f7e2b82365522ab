package dev.nightjar.storage.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.Bits;

/**
 * Merges a log partition's small blocks into larger ones, off the ingest path. Ingest writes a block per
 * export and partition (often ~1,000 records) at a fast zstd level; here neighbouring small blocks (by
 * newest time) are rewritten column by column ({@link LogBlockMerge}, no record objects) as one block of
 * up to {@link #TARGET_RECORDS} records at {@link LogBlock#COMPACT_ZSTD_LEVEL}. Larger blocks compress better and index fewer terms and postings.
 *
 * <p>Each merge is ONE {@code IndexWriter.updateDocuments(delete the source blocks by their id, add the
 * merged block)}: Lucene applies the delete and the add together for near-real-time readers and commits,
 * so a reader sees either the old blocks or the merged one, never both or neither, and a crash recovers
 * to the last commit, which holds one or the other. Records keep their ids ({@link LogBlock.Sources}), so
 * page cursors stay valid across a merge. Nothing here commits: the store's owner commits (the WAL
 * checkpoint), so a merge adds no commit that replay could duplicate records against.
 */
final class LogCompaction {

    /** A merged block holds up to this many records. */
    static final int TARGET_RECORDS = 4_096;
    /** Blocks below this many records are merged; larger ones (earlier merges, huge writes) are left. */
    static final int SMALL_RECORDS = TARGET_RECORDS / 2;

    private LogCompaction() {}

    /**
     * Compacts partitions one after the other: blocks older than {@code cutoffNanos}, and every small
     * block of a partition not written for {@code idleNanos} (negative: no such rule). A partition closed
     * or deleted meanwhile is skipped; a closed store, or a disk below the store's free-space reserve
     * ({@code StorageOverCapacityException}), stops the run.
     */
    static LogCompactionResult run(LuceneStorage storage, List<Partition> partitions, long cutoffNanos, long idleNanos)
            throws IOException {
        LogCompactionResult done = LogCompactionResult.NONE;
        for (Partition p : partitions) {
            // a merge needs room for the merged blocks before the source segments go: never on a full disk
            storage.beforeWrite();
            long lastWrite = p.lastWriteNanos;
            boolean idle = idleNanos >= 0 && System.nanoTime() - lastWrite > idleNanos;
            if (idle && p.compactedThroughWrite == lastWrite) {
                continue; // merged whole since its last write: nothing new
            }
            try {
                done = done.plus(compact(storage, p, cutoffNanos, idle));
                if (idle) {
                    p.compactedThroughWrite = lastWrite;
                }
            } catch (AlreadyClosedException e) {
                // closed for idleness or deleted by retention under the merge: its blocks are as they were
            }
        }
        return done;
    }

    /** A block of the partition: where it is, its sort key and its record count. */
    private record Block(int leaf, int doc, long newest, long blockId, int size) {}

    private static final Comparator<Block> NEWEST_FIRST = Comparator.comparingLong(Block::newest)
            .thenComparingLong(Block::blockId)
            .reversed();

    /**
     * Merges the partition's small blocks whose newest record is older than {@code cutoffNanos} (every
     * small block when {@code whole}).
     */
    static LogCompactionResult compact(LuceneStorage storage, Partition p, long cutoffNanos, boolean whole)
            throws IOException {
        p.refreshNow(); // the merge must see every block written so far, not the last periodic refresh
        IndexSearcher s = p.acquireQuietly();
        try {
            List<Block> small = smallBlocks(s, whole ? Long.MAX_VALUE : cutoffNanos);
            small.sort(NEWEST_FIRST);
            LogCompactionResult done = new LogCompactionResult(1, 0, 0, 0);
            List<Block> group = new ArrayList<>();
            int records = 0;
            for (Block b : small) {
                if (records + b.size() > TARGET_RECORDS) {
                    done = done.plus(merge(storage, p, s, group));
                    group = new ArrayList<>();
                    records = 0;
                }
                group.add(b);
                records += b.size();
            }
            done = done.plus(merge(storage, p, s, group));
            if (done.blocksMerged() > 0) {
                // the source blocks' segments are mostly deleted now (their resource documents keep them
                // alive): give their space back. The refresh resolves the deletes first, or the merge
                // policy would not see them yet.
                p.refreshNow();
                p.writer.forceMergeDeletes(true);
            }
            return done;
        } finally {
            p.release(s);
        }
    }

    private static List<Block> smallBlocks(IndexSearcher s, long cutoffNanos) throws IOException {
        List<Block> out = new ArrayList<>();
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        for (LeafReaderContext ctx : leaves) {
            LeafReader r = ctx.reader();
            NumericDocValues newest = DocValues.getNumeric(r, LogIndex.TS);
            NumericDocValues id = DocValues.getNumeric(r, LogIndex.ID);
            BinaryDocValues block = DocValues.getBinary(r, LogBlocks.BLOCK);
            Bits live = r.getLiveDocs();
            for (int doc = 0; doc < r.maxDoc(); doc++) {
                // resource documents (the partition's resource table) have no time
                if ((live != null && !live.get(doc)) || !newest.advanceExact(doc)) {
                    continue;
                }
                if (newest.longValue() >= cutoffNanos) {
                    continue;
                }
                if (!id.advanceExact(doc) || !block.advanceExact(doc)) {
                    throw new IllegalStateException("log block without id or records");
                }
                int size = LogBlock.count(block.binaryValue());
                if (size < SMALL_RECORDS) {
                    out.add(new Block(ctx.ord, doc, newest.longValue(), id.longValue(), size));
                }
            }
        }
        return out;
    }

    /** Replaces {@code group} by one merged block (or, past the block size limit, by merges of its halves). */
    private static LogCompactionResult merge(LuceneStorage storage, Partition p, IndexSearcher s, List<Block> group)
            throws IOException {
        if (group.size() < 2) {
            return LogCompactionResult.NONE;
        }
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        List<LogBlock> blocks = new ArrayList<>(group.size());
        long[] sourceBlocks = new long[group.size()];
        int records = 0;
        for (int g = 0; g < group.size(); g++) {
            Block b = group.get(g);
            sourceBlocks[g] = b.blockId();
            BinaryDocValues dv = DocValues.getBinary(leaves.get(b.leaf()).reader(), LogBlocks.BLOCK);
            if (!dv.advanceExact(b.doc())) {
                throw new IllegalStateException("log block without records");
            }
            // decoded at once: the doc values' bytes are only valid until the next advance
            LogBlock block = LogBlock.decode(dv.binaryValue(), p.resources);
            blocks.add(block);
            records += block.size;
        }
        Document doc;
        try {
            doc = LogBlockMerge.document(blocks, storage.reserveIds(1), p, LogBlock.COMPACT_ZSTD_LEVEL);
        } catch (LogBlock.TooLarge tooLarge) {
            int half = group.size() / 2;
            return merge(storage, p, s, group.subList(0, half))
                    .plus(merge(storage, p, s, group.subList(half, group.size())));
        }
        // the delete applies to documents indexed before this call only, never to the merged block
        p.writer.updateDocuments(NumericDocValuesField.newSlowSetQuery(LogIndex.ID, sourceBlocks), List.of(doc));
        p.dirty.set(true);
        return new LogCompactionResult(0, group.size(), 1, records);
    }
}
