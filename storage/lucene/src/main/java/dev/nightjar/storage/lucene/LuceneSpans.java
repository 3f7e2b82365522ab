package dev.nightjar.storage.lucene;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.Limits;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.DurationDigest;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.core.traces.SpanWriter;
import dev.nightjar.core.traces.StatusCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/** Span writes and reads; services, operations and RED come from doc values, never from stored spans. */
final class LuceneSpans implements SpanWriter, SpanReader {

    private static final Comparator<Span> TRACE_ORDER = Comparator.comparingLong(Span::startTimeUnixNano)
            .thenComparing((a, b) ->
                    Long.compareUnsigned(a.spanId().value(), b.spanId().value()));

    private final LuceneStorage storage;

    LuceneSpans(LuceneStorage storage) {
        this.storage = storage;
    }

    @Override
    public void write(TenantId tenant, List<Span> spans) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(spans, "spans").forEach(s -> Objects.requireNonNull(s, "span"));
        storage.beforeWrite();
        if (spans.isEmpty()) {
            return;
        }
        PartitionSet set = storage.partitions(tenant, Signal.SPANS);
        SpanIndex.Builder builder = new SpanIndex.Builder();
        Map<Long, LogIndex.Pending> byPartition = new LinkedHashMap<>();
        // Spans of an export nearly always fall in one partition: look the map up only when it changes
        // (no boxed key per span).
        long current = Long.MIN_VALUE;
        LogIndex.Pending pending = null;
        for (Span s : spans) {
            long start = set.startOf(s.startTimeUnixNano());
            if (pending == null || start != current) {
                current = start;
                pending = byPartition.computeIfAbsent(start, k -> new LogIndex.Pending());
            }
            builder.document(s, pending);
        }
        SpanPartitionWrites.add(storage, set, byPartition);
    }

    static Span decode(IndexSearcher s, StoredFields stored, int doc, ResourceTable table) throws IOException {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        // stored fields of the whole searcher take the searcher-wide id; doc values of the leaf take the leaf's
        return withResource(leaf, stored.document(doc), doc - leaf.docBase, table);
    }

    /** The span stored as document {@code doc} of the leaf (a leaf-local id, leaf stored fields). */
    private static Span decode(LeafReaderContext leaf, StoredFields leafStored, int doc, ResourceTable table)
            throws IOException {
        return withResource(leaf, leafStored.document(doc), doc, table);
    }

    private static Span withResource(LeafReaderContext leaf, Document stored, int doc, ResourceTable table)
            throws IOException {
        BytesRef src = stored.getBinaryValue(SpanIndex.SOURCE);
        BytesRef inline = stored.getBinaryValue(SpanIndex.INLINE_RESOURCE);
        if (inline != null) {
            Resource resource = RecordCodec.decodeResource(inline.bytes, inline.offset, inline.length);
            return RecordCodec.decodeSpan(src.bytes, src.offset, src.length, resource);
        }
        BytesRef rid = stored.getBinaryValue(SpanIndex.RID);
        if (rid == null) {
            throw new IllegalStateException("span without resource");
        }
        return RecordCodec.decodeSpan(src.bytes, src.offset, src.length, table.get(rid));
    }

    /**
     * Every partition of the tenant is asked (a trace may cross partitions, spans arrive late). The lookup
     * goes straight to the postings of the trace id in each segment: no query, weight or collector to
     * build, and a segment without the id costs one terms-dictionary seek.
     */
    @Override
    public List<Span> getTrace(TenantId tenant, TraceId traceId) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(traceId, "trace id");
        storage.ensureOpen();
        BytesRef term = SpanIndex.traceTerm(traceId);
        Set<Span> spans = new LinkedHashSet<>();
        try {
            PartitionSet set = storage.partitions(tenant, Signal.SPANS);
            for (Partition candidate : set.all()) {
                PartitionSet.Lease lease = set.lease(candidate);
                if (lease == null) {
                    continue; // deleted by retention
                }
                try {
                    for (LeafReaderContext leaf :
                            lease.searcher().getIndexReader().leaves()) {
                        if (spans.size() >= Limits.MAX_TRACE_SPANS) {
                            break;
                        }
                        collectTrace(leaf, term, lease.partition().resources, spans);
                    }
                } finally {
                    lease.close();
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("trace lookup failed", e);
        }
        List<Span> out = new ArrayList<>(spans);
        out.sort(TRACE_ORDER);
        return out.size() > Limits.MAX_TRACE_SPANS ? List.copyOf(out.subList(0, Limits.MAX_TRACE_SPANS)) : out;
    }

    private static void collectTrace(LeafReaderContext leaf, BytesRef term, ResourceTable table, Set<Span> spans)
            throws IOException {
        org.apache.lucene.index.Terms terms = leaf.reader().terms(SpanIndex.TRACE_ID);
        if (terms == null) {
            return;
        }
        TermsEnum te = terms.iterator();
        if (!te.seekExact(term)) {
            return;
        }
        PostingsEnum docs = te.postings(null, PostingsEnum.NONE);
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = null;
        for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
            if (live != null && !live.get(d)) {
                continue;
            }
            if (spans.size() >= Limits.MAX_TRACE_SPANS) {
                return;
            }
            stored = stored != null ? stored : leaf.reader().storedFields();
            spans.add(decode(leaf, stored, d, table));
        }
    }

    @Override
    public List<Span> searchSpans(TenantId tenant, SpanQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        List<Span> out = new ArrayList<>();
        try {
            PartitionSet set = storage.partitions(tenant, Signal.SPANS);
            for (Partition candidate : set.overlapping(
                    Timestamps.toNanos(query.range().start()),
                    Timestamps.toNanos(query.range().end()))) {
                PartitionSet.Lease lease = set.lease(candidate);
                if (lease == null) {
                    continue; // deleted by retention
                }
                Partition p = lease.partition();
                IndexSearcher s = lease.searcher();
                try {
                    Query q = SpanIndex.query(query, p.resources);
                    TopDocs top = s.search(q, query.limit() - out.size(), Signal.SPANS.sort, false);
                    StoredFields stored = s.storedFields();
                    for (ScoreDoc sd : top.scoreDocs) {
                        out.add(decode(s, stored, sd.doc, p.resources));
                    }
                } finally {
                    lease.close();
                }
                if (out.size() >= query.limit()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("span search failed", e);
        }
        return out;
    }

    interface SearcherWork {
        void run(Partition partition, IndexSearcher searcher) throws IOException;
    }

    private void eachPartition(TenantId tenant, TimeRange range, SearcherWork work) {
        Objects.requireNonNull(tenant, "tenant");
        Timestamps.checkQueryRange(range);
        storage.ensureOpen();
        try {
            PartitionSet set = storage.partitions(tenant, Signal.SPANS);
            for (Partition candidate :
                    set.overlapping(Timestamps.toNanos(range.start()), Timestamps.toNanos(range.end()))) {
                PartitionSet.Lease lease = set.lease(candidate);
                if (lease == null) {
                    continue; // deleted by retention
                }
                Partition p = lease.partition();
                IndexSearcher s = lease.searcher();
                try {
                    work.run(p, s);
                } finally {
                    lease.close();
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("span aggregation failed", e);
        }
    }

    private static String text(BytesRef b) {
        return new String(b.bytes, b.offset, b.length, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> services(TenantId tenant, TimeRange range) {
        TreeSet<String> out = new TreeSet<>();
        long from = Timestamps.toNanos(range.start());
        long to = Timestamps.toNanos(range.end());
        if (to <= from) {
            return List.of();
        }
        eachPartition(tenant, range, (p, s) -> {
            if (from <= p.startNanos && to >= p.endNanos) {
                // the whole partition is in range: every service value of every segment counts
                for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                    TermsEnum te =
                            DocValues.getSorted(ctx.reader(), SpanIndex.SERVICE).termsEnum();
                    for (BytesRef t = te.next(); t != null; t = te.next()) {
                        out.add(text(t));
                    }
                }
                return;
            }
            Scan.run(s, SpanIndex.inRange(from, to).build(), ctx -> {
                SortedDocValues svc = DocValues.getSorted(ctx.reader(), SpanIndex.SERVICE);
                int count = svc.getValueCount();
                if (count == 0) {
                    throw new CollectionTerminatedException();
                }
                FixedBitSet seen = new FixedBitSet(count);
                int[] unseen = {count};
                return doc -> {
                    if (svc.advanceExact(doc) && !seen.getAndSet(svc.ordValue())) {
                        out.add(text(svc.lookupOrd(svc.ordValue())));
                        if (--unseen[0] == 0) {
                            // every service of the segment is found: the rest of it cannot add one
                            throw new CollectionTerminatedException();
                        }
                    }
                };
            });
        });
        return List.copyOf(out);
    }

    @Override
    public List<Operation> operations(TenantId tenant, String service, TimeRange range) {
        Objects.requireNonNull(service, "service");
        TreeSet<Operation> out = new TreeSet<>(Operation.ORDER);
        long from = Timestamps.toNanos(range.start());
        long to = Timestamps.toNanos(range.end());
        if (to <= from) {
            return List.of();
        }
        Query q = SpanIndex.inRange(from, to)
                .add(new TermQuery(new Term(SpanIndex.SERVICE, Terms.exact(service))), BooleanClause.Occur.FILTER)
                .build();
        eachPartition(
                tenant,
                range,
                (p, s) -> Scan.run(s, q, ctx -> {
                    SortedDocValues name = DocValues.getSorted(ctx.reader(), SpanIndex.NAME);
                    NumericDocValues flags = DocValues.getNumeric(ctx.reader(), SpanIndex.FLAGS);
                    // per kind, the name ordinals of this segment seen with it
                    FixedBitSet[] seen = new FixedBitSet[1 << 3];
                    return doc -> {
                        if (name.advanceExact(doc) && flags.advanceExact(doc)) {
                            int k = SpanIndex.kind(flags.longValue());
                            if (seen[k] == null) {
                                seen[k] = new FixedBitSet(name.getValueCount());
                            }
                            if (!seen[k].getAndSet(name.ordValue())) {
                                out.add(new Operation(text(name.lookupOrd(name.ordValue())), SpanKind.fromNumber(k)));
                            }
                        }
                    };
                }));
        return List.copyOf(out);
    }

    @Override
    public List<RedStats> serviceRed(TenantId tenant, TimeRange range) {
        return red(tenant, range, null);
    }

    @Override
    public List<RedStats> operationRed(TenantId tenant, String service, TimeRange range) {
        Objects.requireNonNull(service, "service");
        return red(tenant, range, service);
    }

    private static final class Group {
        final DurationDigest durations = new DurationDigest();
        long errors;
    }

    /** RED over entry spans, grouped by service (service == null) or by operation of one service. */
    private List<RedStats> red(TenantId tenant, TimeRange range, String service) {
        long from = Timestamps.toNanos(range.start());
        long to = Timestamps.toNanos(range.end());
        Map<String, Group> groups = new TreeMap<>();
        if (to > from) {
            BooleanQuery.Builder b = SpanIndex.inRange(from, to);
            b.add(
                    IntPoint.newRangeQuery(SpanIndex.FLAGS, SpanIndex.ENTRY_MIN, SpanIndex.ENTRY_MAX),
                    BooleanClause.Occur.FILTER);
            if (service != null) {
                b.add(new TermQuery(new Term(SpanIndex.SERVICE, Terms.exact(service))), BooleanClause.Occur.FILTER);
            }
            Query q = b.build();
            String groupField = service == null ? SpanIndex.SERVICE : SpanIndex.NAME;
            eachPartition(
                    tenant,
                    range,
                    (p, s) -> Scan.run(s, q, ctx -> {
                        SortedDocValues key = DocValues.getSorted(ctx.reader(), groupField);
                        NumericDocValues flags = DocValues.getNumeric(ctx.reader(), SpanIndex.FLAGS);
                        NumericDocValues dur = DocValues.getNumeric(ctx.reader(), SpanIndex.DURATION);
                        Group[] byOrd = new Group[key.getValueCount()];
                        return doc -> {
                            if (!key.advanceExact(doc)) {
                                return;
                            }
                            int ord = key.ordValue();
                            Group g = byOrd[ord];
                            if (g == null) {
                                g = groups.computeIfAbsent(text(key.lookupOrd(ord)), k -> new Group());
                                byOrd[ord] = g;
                            }
                            dur.advanceExact(doc);
                            g.durations.add(dur.longValue());
                            if (flags.advanceExact(doc)
                                    && SpanIndex.status(flags.longValue()) == StatusCode.ERROR.ordinal()) {
                                g.errors++;
                            }
                        };
                    }));
        } else {
            Timestamps.checkQueryRange(range);
        }
        long rangeNanos = range.duration().toNanos();
        List<RedStats> out = new ArrayList<>(groups.size());
        groups.forEach((k, g) -> out.add(RedStats.of(
                service == null ? k : service, service == null ? null : k, g.errors, g.durations, rangeNanos)));
        return out;
    }
}
