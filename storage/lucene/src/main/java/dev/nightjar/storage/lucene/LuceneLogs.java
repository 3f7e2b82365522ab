package dev.nightjar.storage.lucene;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFields;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.IndexSearcher;

/** Log writes and reads over a tenant's time partitions, in the block layout ({@link LogBlocks}). */
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
        Map<Long, List<LogRecord>> byPartition = new LinkedHashMap<>();
        for (LogRecord r : records) {
            byPartition
                    .computeIfAbsent(set.startOf(r.effectiveTimeUnixNano()), k -> new ArrayList<>())
                    .add(r);
        }
        LogBlocks.Fingerprints fingerprints = new LogBlocks.Fingerprints();
        for (Map.Entry<Long, List<LogRecord>> e : byPartition.entrySet()) {
            List<LogRecord> sorted = new ArrayList<>(e.getValue());
            sorted.sort(NEWEST_FIRST);
            for (int i = 0; i < sorted.size(); i += LogBlocks.MAX_RECORDS) {
                List<LogRecord> block = sorted.subList(i, Math.min(sorted.size(), i + LogBlocks.MAX_RECORDS));
                addBlocks(set, e.getKey(), block, fingerprints);
            }
        }
    }

    private static final Comparator<LogRecord> NEWEST_FIRST =
            Comparator.comparingLong(LogRecord::effectiveTimeUnixNano).reversed();

    /** One block, or (huge records) halves of it until each part encodes within the block size limit. */
    private void addBlocks(PartitionSet set, long start, List<LogRecord> block, LogBlocks.Fingerprints fingerprints) {
        try {
            addBlock(set, start, block, storage.reserveIds(block.size()), fingerprints);
        } catch (LogBlock.TooLarge tooLarge) {
            int half = block.size() / 2;
            addBlocks(set, start, block.subList(0, half), fingerprints);
            addBlocks(set, start, block.subList(half, block.size()), fingerprints);
        }
    }

    private void addBlock(
            PartitionSet set, long start, List<LogRecord> block, long baseId, LogBlocks.Fingerprints fingerprints) {
        PartitionWrite.run(storage, set, start, p -> {
            p.writer.addDocument(LogBlocks.document(block, baseId, fingerprints, p));
            p.lastWriteNanos = System.nanoTime();
            p.dirty.set(true);
        });
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

    /** A matching record with its sort key. */
    private record Hit(long time, long id, LogRecord record) {}

    private static final Comparator<Hit> HIT_ORDER =
            Comparator.comparingLong(Hit::time).thenComparingLong(Hit::id).reversed();

    @Override
    public LogPage search(TenantId tenant, LogQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        LogCursor after = query.after();
        long to = after != null && after.timeUnixNano() < Long.MAX_VALUE ? after.timeUnixNano() + 1 : Long.MAX_VALUE;
        BlockFilter filter = new BlockFilter(query.filter(), to);
        int want = query.limit() + 1;
        List<Hit> hits = new ArrayList<>(want);
        try {
            PartitionSet set = storage.partitions(tenant, Signal.LOGS);
            // partitions hold disjoint time spans: newest partition first, each walked newest first
            for (Partition candidate : set.overlapping(filter.from, filter.to)) {
                PartitionSet.Lease lease = set.lease(candidate);
                if (lease == null) {
                    continue; // deleted by retention
                }
                try {
                    searchPartition(lease.searcher(), lease.partition(), filter, after, want, hits);
                } finally {
                    lease.close();
                }
                if (hits.size() >= want) {
                    break;
                }
            }
        } catch (IOException e) {
            throw LuceneStorage.failure("log search failed", e);
        }
        boolean more = hits.size() > query.limit();
        List<Hit> page = more ? hits.subList(0, query.limit()) : hits;
        Hit last = more ? page.getLast() : null;
        return new LogPage(
                page.stream().map(Hit::record).toList(), last == null ? null : new LogCursor(last.time(), last.id()));
    }

    /**
     * Appends the partition's matches, newest first, until {@code hits} holds {@code want}. Blocks overlap
     * in time (concurrent writers), so decoded matches wait in a queue until no block still unread can
     * hold a newer record: candidate blocks are read in order of their newest time, and a queued record
     * is final once it is newer than the next block's newest time.
     */
    private static void searchPartition(
            IndexSearcher s, Partition p, BlockFilter f, LogCursor after, int want, List<Hit> hits) throws IOException {
        List<BlockScan.Candidate> candidates = BlockScan.candidates(s, f, p.resources);
        candidates.sort(BlockScan.NEWEST_FIRST);
        BlockScan.Reader reader = new BlockScan.Reader(s, p.resources);
        PriorityQueue<Hit> queued = new PriorityQueue<>(HIT_ORDER);
        int next = 0;
        while (hits.size() < want) {
            boolean none = next == candidates.size();
            long bound = none ? Long.MIN_VALUE : candidates.get(next).newest();
            while (hits.size() < want
                    && !queued.isEmpty()
                    && (none || queued.peek().time() > bound)) {
                hits.add(queued.poll());
            }
            if (none || hits.size() >= want) {
                return;
            }
            LogBlock b = reader.read(candidates.get(next++));
            boolean[] resourceOk = f.resources(b);
            // records of a block are newest first: past the first `need` matches none can make the page
            int need = want - hits.size();
            for (int i = 0, taken = 0; i < b.size && taken < need; i++) {
                long id = b.id(i);
                if ((after == null || after.isBefore(b.times[i], id)) && f.matches(b, i, resourceOk)) {
                    queued.add(new Hit(b.times[i], id, b.record(i)));
                    taken++;
                }
            }
        }
    }

    @Override
    public LogHistogram histogram(TenantId tenant, LogHistogramQuery query) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        storage.ensureOpen();
        long[][] counts = new long[query.bucketCount()][SeverityLevel.values().length];
        BlockFilter f = new BlockFilter(query.filter(), Long.MAX_VALUE);
        forEachPartition(
                tenant,
                query.filter().range(),
                (p, s) -> BlockScan.forEach(s, f, p.resources, b -> {
                    boolean[] resourceOk = f.resources(b);
                    for (int i = 0; i < b.size; i++) {
                        if (f.matches(b, i, resourceOk)) {
                            counts[query.bucketIndex(b.times[i])][
                                    SeverityLevel.fromNumber(b.severity[i]).ordinal()]++;
                        }
                    }
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
        BlockFilter f = new BlockFilter(query.filter(), Long.MAX_VALUE);
        forEachPartition(
                tenant,
                query.filter().range(),
                (p, s) -> BlockScan.forEach(s, f, p.resources, b -> {
                    boolean[] resourceOk = f.resources(b);
                    if (field.scope() == FieldRef.Scope.RESOURCE) {
                        // count per resource of the block, then fold each resource's value(s) in once
                        long[] perResource = new long[b.resources.length];
                        for (int i = 0; i < b.size; i++) {
                            if (f.matches(b, i, resourceOk)) {
                                perResource[b.resourceOf[i]]++;
                            }
                        }
                        for (int e = 0; e < perResource.length; e++) {
                            if (perResource[e] > 0) {
                                for (String v : FieldValues.keywords(
                                        b.resources[e].attributes().get(field.key()))) {
                                    totals.merge(v, perResource[e], Long::sum);
                                }
                            }
                        }
                    } else {
                        for (int i = 0; i < b.size; i++) {
                            if (f.matches(b, i, resourceOk)) {
                                for (String v : LogFields.keywords(b.record(i), field)) {
                                    totals.merge(v, 1L, Long::sum);
                                }
                            }
                        }
                    }
                }));
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
