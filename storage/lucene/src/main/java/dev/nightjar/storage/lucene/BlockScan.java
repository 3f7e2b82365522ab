package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.QueryDeadline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.IndexSearcher;

/** Finding and decoding the log blocks a {@link BlockFilter} selects in one partition's searcher. */
final class BlockScan {

    /** A block that may hold matches: where it is, and its newest time and base id (its sort key). */
    record Candidate(int leaf, int doc, long newest, long baseId) {}

    static final Comparator<Candidate> NEWEST_FIRST = Comparator.comparingLong(Candidate::newest)
            .thenComparingLong(Candidate::baseId)
            .reversed();

    interface BlockVisitor {
        void visit(LogBlock block) throws IOException;
    }

    private BlockScan() {}

    /** The candidate blocks (Lucene query, then the id filter), in index order. */
    static List<Candidate> candidates(IndexSearcher s, BlockFilter f, ResourceTable table) throws IOException {
        List<Candidate> out = new ArrayList<>();
        Scan.run(s, f.candidates(table), ctx -> {
            NumericDocValues newest = DocValues.getNumeric(ctx.reader(), LogIndex.TS);
            NumericDocValues base = DocValues.getNumeric(ctx.reader(), LogIndex.ID);
            BinaryDocValues ids = f.namesIds() ? DocValues.getBinary(ctx.reader(), LogBlocks.ID_FILTER) : null;
            return doc -> {
                if (ids != null && !f.mayHoldIds(ids.advanceExact(doc) ? ids.binaryValue() : null)) {
                    return;
                }
                if (!newest.advanceExact(doc) || !base.advanceExact(doc)) {
                    throw new IllegalStateException("log block without sort key");
                }
                out.add(new Candidate(ctx.ord, doc, newest.longValue(), base.longValue()));
            };
        });
        return out;
    }

    /** Every candidate block, decoded (head only; the tail on demand), in index order: for aggregations. */
    static void forEach(IndexSearcher s, BlockFilter f, ResourceTable table, BlockVisitor visitor) throws IOException {
        Reader reader = new Reader(s, table);
        for (Candidate c : candidates(s, f, table)) {
            visitor.visit(reader.read(c));
        }
    }

    /**
     * Decodes candidate blocks. Doc-values iterators only move forward; within a segment, newest-first
     * order is doc order (the index sort), so one iterator per segment serves a newest-first walk.
     */
    static final class Reader {
        private final List<LeafReaderContext> leaves;
        private final BinaryDocValues[] iterators;
        private final ResourceTable table;

        Reader(IndexSearcher s, ResourceTable table) {
            this.leaves = s.getIndexReader().leaves();
            this.iterators = new BinaryDocValues[leaves.size()];
            this.table = table;
        }

        LogBlock read(Candidate c) throws IOException {
            QueryDeadline.check(); // a block holds thousands of records: the query's time may be up
            BinaryDocValues dv = iterators[c.leaf()];
            if (dv == null || dv.docID() >= c.doc()) {
                dv = DocValues.getBinary(leaves.get(c.leaf()).reader(), LogBlocks.BLOCK);
                iterators[c.leaf()] = dv;
            }
            if (!dv.advanceExact(c.doc())) {
                throw new IllegalStateException("log block without records");
            }
            return LogBlock.decode(dv.binaryValue(), table);
        }
    }
}
