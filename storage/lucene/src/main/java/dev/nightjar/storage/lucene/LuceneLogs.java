package dev.nightjar.storage.lucene;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogCursor;
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
import dev.nightjar.core.telemetry.Timestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.BytesRef;

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
        Map<Long, List<Document>> byPartition = new LinkedHashMap<>();
        for (LogRecord r : records) {
            long start = set.startOf(r.effectiveTimeUnixNano());
            byPartition
                    .computeIfAbsent(start, k -> new ArrayList<>(records.size()))
                    .add(builder.document(r, storage.nextId()));
        }
        storage.addDocuments(set, byPartition);
    }

    @Override
    public LogPage search(TenantId tenant, LogQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        Query q = LogIndex.query(query.filter());
        long from = Timestamps.toNanos(query.filter().range().start());
        long to = Timestamps.toNanos(query.filter().range().end());
        LogCursor after = query.after();
        if (after != null) {
            to = Math.min(to, after.timeUnixNano() == Long.MAX_VALUE ? Long.MAX_VALUE : after.timeUnixNano() + 1);
        }
        int want = query.limit() + 1;
        List<LogRecord> records = new ArrayList<>(want);
        long[] lastKey = new long[2];
        try {
            for (Partition p : storage.partitions(tenant, Signal.LOGS).overlapping(from, to)) {
                IndexSearcher s = acquire(p);
                if (s == null) {
                    continue;
                }
                try {
                    int maxDoc = s.getIndexReader().maxDoc();
                    if (maxDoc == 0) {
                        continue;
                    }
                    // (time, id) keys are unique; the last doc id makes equal keys (the cursor itself) excluded
                    Object[] afterKey = after == null ? null : new Object[] {after.timeUnixNano(), after.tiebreak()};
                    FieldDoc afterDoc = after == null ? null : new FieldDoc(maxDoc - 1, Float.NaN, afterKey);
                    TopFieldDocs top = s.searchAfter(afterDoc, q, want - records.size(), Signal.LOGS.sort, false);
                    StoredFields stored = s.storedFields();
                    for (ScoreDoc sd : top.scoreDocs) {
                        if (records.size() == query.limit()) {
                            records.add(null); // marker: there is more
                            break;
                        }
                        records.add(decode(stored, sd.doc));
                        Object[] key = ((FieldDoc) sd).fields;
                        lastKey[0] = (Long) key[0];
                        lastKey[1] = (Long) key[1];
                    }
                } finally {
                    p.release(s);
                }
                if (records.size() >= want) {
                    break;
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("log search failed", e);
        }
        if (records.size() > query.limit()) {
            return new LogPage(records.subList(0, query.limit()), new LogCursor(lastKey[0], lastKey[1]));
        }
        return new LogPage(records, null);
    }

    static LogRecord decode(StoredFields stored, int doc) throws IOException {
        BytesRef src = stored.document(doc).getBinaryValue(LogIndex.SOURCE);
        return RecordCodec.decodeLog(src.bytes, src.offset, src.length);
    }

    static IndexSearcher acquire(Partition p) throws IOException {
        try {
            return p.acquire();
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            return null; // deleted by retention while we looked
        }
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
                (s, q) -> Scan.run(s, q, ctx -> {
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
                }),
                LogIndex.query(query.filter()));
        return LogHistogram.of(query, counts);
    }

    @Override
    public List<ValueCount> topValues(TenantId tenant, TopValuesQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        String field = LogIndex.keywordField(query.field(), LogIndex.RESOURCE, LogIndex.ATTRIBUTE, LogIndex.INTRINSIC);
        BytesRef prefix = Terms.keyPrefix(query.field().key());
        BytesRef prefixEnd = Terms.keyPrefixEnd(query.field().key());
        Map<String, Long> totals = new HashMap<>();
        forEachPartition(
                tenant,
                query.filter().range(),
                (s, q) -> {
                    List<SegmentCounts> segments = new ArrayList<>();
                    Scan.run(s, q, ctx -> {
                        SortedSetDocValues dv = DocValues.getSortedSet(ctx.reader(), field);
                        long lo = insertionPoint(dv.lookupTerm(prefix));
                        long hi = insertionPoint(dv.lookupTerm(prefixEnd));
                        if (hi <= lo) {
                            return doc -> {};
                        }
                        SegmentCounts c = new SegmentCounts(dv, lo, hi);
                        segments.add(c);
                        return c::visit;
                    });
                    for (SegmentCounts c : segments) {
                        c.foldInto(totals, prefix.length);
                    }
                },
                LogIndex.query(query.filter()));
        return totals.entrySet().stream()
                .map(e -> new ValueCount(e.getKey(), e.getValue()))
                .sorted(ValueCount.ORDER)
                .limit(query.limit())
                .toList();
    }

    /** Counts of one segment's ords in {@code [lo, hi)}: one key's values. */
    private static final class SegmentCounts {
        private final SortedSetDocValues dv;
        private final long lo;
        private final long[] dense;
        private final Map<Long, long[]> sparse;

        SegmentCounts(SortedSetDocValues dv, long lo, long hi) {
            this.dv = dv;
            this.lo = lo;
            boolean small = hi - lo <= 65_536;
            this.dense = small ? new long[(int) (hi - lo)] : null;
            this.sparse = small ? null : new HashMap<>();
            this.hi = hi;
        }

        private final long hi;

        void visit(int doc) throws IOException {
            if (dv.advanceExact(doc)) {
                for (int i = 0, n = dv.docValueCount(); i < n; i++) {
                    long ord = dv.nextOrd();
                    if (ord >= lo && ord < hi) {
                        if (dense != null) {
                            dense[(int) (ord - lo)]++;
                        } else {
                            sparse.computeIfAbsent(ord, o -> new long[1])[0]++;
                        }
                    }
                }
            }
        }

        void foldInto(Map<String, Long> totals, int prefixLength) throws IOException {
            if (dense != null) {
                for (int i = 0; i < dense.length; i++) {
                    if (dense[i] > 0) {
                        totals.merge(Terms.valueOf(dv.lookupOrd(lo + i), prefixLength), dense[i], Long::sum);
                    }
                }
            } else {
                for (Map.Entry<Long, long[]> e : sparse.entrySet()) {
                    totals.merge(Terms.valueOf(dv.lookupOrd(e.getKey()), prefixLength), e.getValue()[0], Long::sum);
                }
            }
        }
    }

    private static long insertionPoint(long lookup) {
        return lookup >= 0 ? lookup : -lookup - 1;
    }

    interface PartitionScan {
        void run(IndexSearcher searcher, Query query) throws IOException;
    }

    private void forEachPartition(TenantId tenant, dev.nightjar.core.TimeRange range, PartitionScan scan, Query query) {
        long from = Timestamps.toNanos(range.start());
        long to = Timestamps.toNanos(range.end());
        try {
            for (Partition p : storage.partitions(tenant, Signal.LOGS).overlapping(from, to)) {
                IndexSearcher s = acquire(p);
                if (s == null) {
                    continue;
                }
                try {
                    scan.run(s, query);
                } finally {
                    p.release(s);
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("log aggregation failed", e);
        }
    }
}
