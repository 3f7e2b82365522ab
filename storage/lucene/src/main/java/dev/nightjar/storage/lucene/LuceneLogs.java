package dev.nightjar.storage.lucene;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogram;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.LogWriter;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/** Log writes and reads over a tenant's time partitions. */
final class LuceneLogs implements LogWriter, LogReader {

    private final LuceneStorage storage;

    LuceneLogs(LuceneStorage storage) {
        this.storage = storage;
    }

    @Override
    public void write(TenantId tenant, List<LogRecord> records) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(records, "records").forEach(r -> Objects.requireNonNull(r, "record"));
        storage.beforeWrite();
        if (records.isEmpty()) {
            return;
        }
        PartitionSet set = storage.partitions(tenant, Signal.LOGS);
        LogIndex.Builder builder = new LogIndex.Builder();
        Map<Long, LogIndex.Pending> byPartition = new LinkedHashMap<>();
        for (LogRecord r : records) {
            long start = set.startOf(r.effectiveTimeUnixNano());
            builder.document(r, storage.nextId(), byPartition.computeIfAbsent(start, k -> new LogIndex.Pending()));
        }
        storage.addDocuments(set, byPartition);
    }

    /** The resource a document points at (its {@code rid} doc value, looked up in the partition's table). */
    static Resource resourceOf(IndexSearcher s, int doc, String ridField, ResourceTable table) throws IOException {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        SortedDocValues rid = DocValues.getSorted(leaf.reader(), ridField);
        if (!rid.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("record without resource");
        }
        return table.get(rid.lookupOrd(rid.ordValue()));
    }

    static LogRecord decode(IndexSearcher s, StoredFields stored, int doc, ResourceTable table) throws IOException {
        BytesRef src = stored.document(doc).getBinaryValue(LogIndex.SOURCE);
        return RecordCodec.decodeLog(src.bytes, src.offset, src.length, resourceOf(s, doc, LogIndex.RID, table));
    }

    @Override
    public LogPage search(TenantId tenant, LogQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        LogFilter filter = query.filter();
        long from = Timestamps.toNanos(filter.range().start());
        long to = Timestamps.toNanos(filter.range().end());
        LogCursor after = query.after();
        if (after != null && after.timeUnixNano() < Long.MAX_VALUE) {
            to = Math.min(to, after.timeUnixNano() + 1);
        }
        int want = query.limit() + 1;
        List<LogRecord> records = new ArrayList<>(want);
        long[] lastKey = new long[2];
        boolean more = false;
        try {
            PartitionSet set = storage.partitions(tenant, Signal.LOGS);
            for (Partition candidate : set.overlapping(from, to)) {
                PartitionSet.Lease lease = set.lease(candidate);
                if (lease == null) {
                    continue; // deleted by retention
                }
                Partition p = lease.partition();
                IndexSearcher s = lease.searcher();
                try {
                    int maxDoc = s.getIndexReader().maxDoc();
                    if (maxDoc == 0) {
                        continue;
                    }
                    // (time, id) keys are unique; the last doc id makes an equal key (the cursor itself) excluded
                    FieldDoc afterDoc = after == null
                            ? null
                            : new FieldDoc(
                                    maxDoc - 1, Float.NaN, new Object[] {after.timeUnixNano(), after.tiebreak()});
                    Query q = LogIndex.query(filter, p.resources);
                    TopFieldDocs top = s.searchAfter(afterDoc, q, want - records.size(), Signal.LOGS.sort, false);
                    StoredFields stored = s.storedFields();
                    for (ScoreDoc sd : top.scoreDocs) {
                        if (records.size() == query.limit()) {
                            more = true;
                            break;
                        }
                        records.add(decode(s, stored, sd.doc, p.resources));
                        Object[] key = ((FieldDoc) sd).fields;
                        lastKey[0] = (Long) key[0];
                        lastKey[1] = (Long) key[1];
                    }
                } finally {
                    lease.close();
                }
                if (more) {
                    break;
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("log search failed", e);
        }
        return new LogPage(records, more ? new LogCursor(lastKey[0], lastKey[1]) : null);
    }

    @Override
    public LogHistogram histogram(TenantId tenant, LogHistogramQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        long[][] counts = new long[query.bucketCount()][SeverityLevel.values().length];
        long first = query.firstBucketStartNanos();
        long width = query.bucketNanos();
        forEachPartition(
                tenant,
                query.filter().range(),
                (p, s) -> Scan.run(s, LogIndex.query(query.filter(), p.resources), ctx -> {
                    NumericDocValues ts = DocValues.getNumeric(ctx.reader(), LogIndex.TS);
                    NumericDocValues sev = DocValues.getNumeric(ctx.reader(), LogIndex.SEVERITY);
                    return doc -> {
                        ts.advanceExact(doc);
                        int level = sev.advanceExact(doc)
                                ? SeverityLevel.fromNumber((int) sev.longValue())
                                        .ordinal()
                                : 0;
                        counts[(int) ((ts.longValue() - first) / width)][level]++;
                    };
                }));
        return LogHistogram.of(query, counts);
    }

    @Override
    public List<ValueCount> topValues(TenantId tenant, TopValuesQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        FieldRef field = query.field();
        Map<String, Long> totals = new HashMap<>();
        if (field.scope() == FieldRef.Scope.RESOURCE) {
            // count records per resource fingerprint, then fold each resource's value(s) in
            forEachPartition(tenant, query.filter().range(), (p, s) -> {
                List<Runnable> folds = new ArrayList<>();
                Scan.run(s, LogIndex.query(query.filter(), p.resources), ctx -> {
                    SortedDocValues rid = DocValues.getSorted(ctx.reader(), LogIndex.RID);
                    long[] perOrd = new long[rid.getValueCount()];
                    folds.add(() -> {
                        try {
                            for (int ord = 0; ord < perOrd.length; ord++) {
                                if (perOrd[ord] > 0) {
                                    Resource r = p.resources.get(rid.lookupOrd(ord));
                                    for (String v :
                                            FieldValues.keywords(r.attributes().get(field.key()))) {
                                        totals.merge(v, perOrd[ord], Long::sum);
                                    }
                                }
                            }
                        } catch (IOException e) {
                            throw LuceneStorage.failure("top values failed", e);
                        }
                    });
                    return doc -> {
                        if (rid.advanceExact(doc)) {
                            perOrd[rid.ordValue()]++;
                        }
                    };
                });
                folds.forEach(Runnable::run);
            });
        } else {
            String luceneField = field.scope() == FieldRef.Scope.ATTRIBUTE ? LogIndex.ATTRIBUTE : LogIndex.INTRINSIC;
            BytesRef prefix = Terms.keyPrefix(field.key());
            BytesRef prefixEnd = Terms.keyPrefixEnd(field.key());
            forEachPartition(tenant, query.filter().range(), (p, s) -> {
                // mark the matching records, then walk the key's terms and count their postings among them
                FixedBitSet[] matching =
                        new FixedBitSet[s.getIndexReader().leaves().size()];
                Scan.run(s, LogIndex.query(query.filter(), p.resources), ctx -> {
                    FixedBitSet bits = new FixedBitSet(ctx.reader().maxDoc());
                    matching[ctx.ord] = bits;
                    return bits::set;
                });
                for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                    FixedBitSet bits = matching[ctx.ord];
                    org.apache.lucene.index.Terms terms = ctx.reader().terms(luceneField);
                    if (bits == null || terms == null) {
                        continue;
                    }
                    TermsEnum te = terms.iterator();
                    if (te.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
                        continue;
                    }
                    PostingsEnum postings = null;
                    for (BytesRef t = te.term(); t != null && t.compareTo(prefixEnd) < 0; t = te.next()) {
                        postings = te.postings(postings, PostingsEnum.NONE);
                        long n = 0;
                        for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                            if (bits.get(d)) {
                                n++;
                            }
                        }
                        if (n > 0) {
                            totals.merge(Terms.valueOf(t, prefix.length), n, Long::sum);
                        }
                    }
                }
            });
        }
        return totals.entrySet().stream()
                .map(e -> new ValueCount(e.getKey(), e.getValue()))
                .sorted(ValueCount.ORDER)
                .limit(query.limit())
                .toList();
    }

    interface PartitionScan {
        void run(Partition partition, IndexSearcher searcher) throws IOException;
    }

    private void forEachPartition(TenantId tenant, TimeRange range, PartitionScan scan) {
        long from = Timestamps.toNanos(range.start());
        long to = Timestamps.toNanos(range.end());
        try {
            PartitionSet set = storage.partitions(tenant, Signal.LOGS);
            for (Partition candidate : set.overlapping(from, to)) {
                PartitionSet.Lease lease = set.lease(candidate);
                if (lease == null) {
                    continue; // deleted by retention
                }
                Partition p = lease.partition();
                IndexSearcher s = lease.searcher();
                try {
                    scan.run(p, s);
                } finally {
                    lease.close();
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("log aggregation failed", e);
        }
    }
}
