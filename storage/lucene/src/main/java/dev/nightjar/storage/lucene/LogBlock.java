package dev.nightjar.storage.lucene;

import com.github.luben.zstd.Zstd;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.lucene.util.BytesRef;

/**
 * A block of log records, newest first, stored column by column and zstd-compressed: the form in which
 * the log index keeps records (one Lucene document per block, see {@link LogBlocks}).
 *
 * <p>Two compressed parts. The <em>head</em> holds what histograms, resource top values and most
 * filters need (times as deltas, severities, resource of each record, trace and span ids as raw bytes);
 * the <em>tail</em> holds the rest (bodies, attributes, severity text, scope, observed time, flags) and
 * is only decompressed when a query needs it. Columns keep like with like, so zstd finds the repetition
 * between records (attribute keys, body templates, scope names).
 *
 * <p>Record {@code i} has the id {@code baseId + size - 1 - i}, so (time desc, id desc) is the block's order.
 */
final class LogBlock {

    /**
     * Format 4: record ids as runs of the source blocks (a merged block keeps the ids its records had).
     * Format 3 (ids from one base) and older are refused with an error (no release wrote them).
     */
    static final byte VERSION = 4;
    /**
     * Fresh blocks are written on the ingest path at level 1 (~1.1 µs per record less than level 6);
     * {@link LogCompaction} rewrites small blocks into larger ones at {@link #COMPACT_ZSTD_LEVEL}, where
     * the bytes on disk are decided. See README.
     */
    static final int ZSTD_LEVEL = 1;
    /**
     * The level of merged blocks (4 K records): 62.6 B/record before the index at level 3 against 59.6 at 6,
     * for 1.2 against 2.3 µs of encoding per record ({@code bench/logs --zstd-levels true}). Level 3 keeps the
     * bytes on disk under the goal (0.12× OTLP-JSON) and takes a fifth off the merge's CPU, which a server
     * ingesting all day pays on every record.
     */
    static final int COMPACT_ZSTD_LEVEL = 3;
    /** A block never inflates beyond this (hostile payloads cannot make a decoder allocate more). */
    private static final int MAX_RAW_BYTES = 256 << 20;
    /** Writers cut blocks well below that: a part larger than this is refused by {@link LogBlockEncoder}. */
    static final int MAX_ENCODED_RAW_BYTES = 32 << 20;
    /** Version, then the sizes of the head (raw, compressed), the uncompressed part, and the tail (raw). */
    static final int HEADER = 17;

    /** The records do not fit one block: the writer splits them. */
    static final class TooLarge extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooLarge(int bytes) {
            super("log block of " + bytes + " bytes");
        }
    }

    /** A resource of the block: a fingerprint in the partition's table, or (table full) the resource itself. */
    record Entry(BytesRef rid, Resource resource, boolean inline) {}

    /**
     * Where a block's record ids come from: runs of consecutive ids (source {@code s} numbers its records
     * {@code baseIds[s] + sizes[s] - 1} down to {@code baseIds[s]}, in block order), and the run of each
     * record. A fresh block is one run; a merged block keeps the runs of the blocks it merged, so every
     * record keeps its id (page cursors stay valid across a merge).
     */
    record Sources(long[] baseIds, int[] sizes, int[] sourceOf) {
        static Sources single(long baseId, int n) {
            return new Sources(new long[] {baseId}, new int[] {n}, new int[n]);
        }
    }

    final int size;
    /** The id runs of the records (a merge carries them into the merged block). */
    final Sources sources;
    /** Record ids, parallel to {@link #times}. */
    private final long[] ids;
    /** Effective times (time, or observed time when unset), newest first. */
    final long[] times;

    final byte[] severity;
    final Resource[] resources;
    final int[] resourceOf;
    final TraceId[] traces;
    final SpanId[] spans;
    // the merge reads these as they are stored (LogBlockMerge): no record is built from them there
    final byte[] observedPacked;
    final byte[] tailZ;
    final int tailRawSize;
    private LogRecord[] records;
    private AttributeValue[] bodies;

    private LogBlock(
            int size,
            Sources sources,
            long[] ids,
            long[] times,
            byte[] severity,
            Resource[] resources,
            int[] resourceOf,
            TraceId[] traces,
            SpanId[] spans,
            byte[] observedPacked,
            byte[] tailZ,
            int tailRawSize) {
        this.size = size;
        this.sources = sources;
        this.ids = ids;
        this.times = times;
        this.severity = severity;
        this.resources = resources;
        this.resourceOf = resourceOf;
        this.traces = traces;
        this.spans = spans;
        this.observedPacked = observedPacked;
        this.tailZ = tailZ;
        this.tailRawSize = tailRawSize;
    }

    long id(int i) {
        return ids[i];
    }

    // ---- encoding ----

    /** Encodes records sorted newest first; {@code resourceOf[i]} indexes {@code entries}. */
    static byte[] encode(List<LogRecord> records, long baseId, List<Entry> entries, int[] resourceOf) {
        return encode(records, baseId, entries, resourceOf, ZSTD_LEVEL);
    }

    /** Encodes at a given zstd level (the level comparison in {@code bench/logs}); see {@link LogBlockEncoder}. */
    static byte[] encode(List<LogRecord> records, long baseId, List<Entry> entries, int[] resourceOf, int level) {
        return LogBlockEncoder.encode(records, Sources.single(baseId, records.size()), entries, resourceOf, level);
    }

    // ---- decoding ----

    /** Decodes the head; the tail stays compressed until a record is materialised. */
    static LogBlock decode(BytesRef payload, ResourceTable table) {
        ByteBuffer b = ByteBuffer.wrap(payload.bytes, payload.offset, payload.length);
        if (b.get() != VERSION) {
            throw new IllegalStateException("log block format " + payload.bytes[payload.offset] + " is not " + VERSION
                    + ": this index was written by an earlier development version; delete it");
        }
        if (payload.length < HEADER) {
            throw new IllegalStateException("truncated log block");
        }
        int headRaw = b.getInt();
        int headZ = b.getInt();
        int rawLength = b.getInt();
        int tailRaw = b.getInt();
        int headAt = payload.offset + HEADER;
        long rawAt = (long) headAt + headZ;
        long tailAt = rawAt + rawLength;
        long tailZ = payload.offset + payload.length - tailAt;
        if (headZ < 0 || rawLength < 0 || tailZ < 0) {
            throw new IllegalStateException("truncated log block");
        }
        byte[] h = inflate(payload.bytes, headAt, headZ, headRaw);
        byte[] tz = java.util.Arrays.copyOfRange(payload.bytes, (int) tailAt, (int) (tailAt + tailZ));
        ByteReader raw = new ByteReader(payload.bytes, (int) rawAt, rawLength);

        ByteReader in = new ByteReader(h, 0, h.length);
        long count = in.vlong();
        if (count < 1 || count > h.length) { // every record takes at least its time delta byte in the head
            throw new IllegalStateException("corrupt log block: " + count + " records");
        }
        int n = (int) count;
        Sources sources = sources(in, n);
        long[] recordIds = ids(sources, n);
        long[] times = new long[n];
        long t = in.fixed64();
        for (int i = 0; i < n; i++) {
            t -= in.vlong();
            times[i] = t;
        }
        int[] severityCodes = PackedColumn.readCoded(in, n);
        byte[] severity = new byte[n];
        for (int i = 0; i < n; i++) {
            severity[i] = (byte) severityCodes[i];
        }
        Resource[] resources = new Resource[Math.toIntExact(in.vlong())];
        for (int e = 0; e < resources.length; e++) {
            if (in.b() == 1) {
                resources[e] = new Resource(RecordCodec.attributes(in));
            } else {
                resources[e] = table.get(new BytesRef(in.bytes(16)));
            }
        }
        int[] resourceOf = PackedColumn.readCoded(in, n);
        for (int e : resourceOf) {
            if (e < 0 || e >= resources.length) {
                throw new IllegalStateException("corrupt log block: resource " + e);
            }
        }
        int[] present = PackedColumn.readCoded(in, n);
        int idBytes = 0;
        TraceId[] traces = new TraceId[n];
        for (int i = 0; i < n; i++) {
            idBytes += ((present[i] & 1) != 0 ? 16 : 0) + ((present[i] & 2) != 0 ? 8 : 0);
            if ((present[i] & 1) != 0) {
                traces[i] = new TraceId(raw.fixed64(), raw.fixed64());
            }
        }
        SpanId[] spans = new SpanId[n];
        for (int i = 0; i < n; i++) {
            if ((present[i] & 2) != 0) {
                spans[i] = new SpanId(raw.fixed64());
            }
        }
        // the observed-time column is unpacked with the tail; keep its bytes until then
        byte[] observed = raw.bytes(rawLength - idBytes);
        return new LogBlock(
                n, sources, recordIds, times, severity, resources, resourceOf, traces, spans, observed, tz, tailRaw);
    }

    /** The record count of a block (inflates its head only): the compaction picks small blocks by it. */
    static int count(BytesRef payload) {
        if (payload.length < HEADER || payload.bytes[payload.offset] != VERSION) {
            throw new IllegalStateException("not a log block of format " + VERSION);
        }
        ByteBuffer b = ByteBuffer.wrap(payload.bytes, payload.offset, payload.length);
        b.get();
        int headRaw = b.getInt();
        int headZ = b.getInt();
        if (headZ < 0 || headZ > payload.length - HEADER) {
            throw new IllegalStateException("truncated log block");
        }
        byte[] h = inflate(payload.bytes, payload.offset + HEADER, headZ, headRaw);
        return Math.toIntExact(new ByteReader(h, 0, h.length).vlong());
    }

    /** The id runs of a block, checked against its record count. */
    private static Sources sources(ByteReader in, int n) {
        long runs = in.vlong();
        if (runs < 1 || runs > n) {
            throw new IllegalStateException("corrupt log block: " + runs + " id runs");
        }
        long[] baseIds = new long[(int) runs];
        int[] sizes = new int[(int) runs];
        long total = 0;
        for (int s = 0; s < baseIds.length; s++) {
            baseIds[s] = in.vlong();
            long size = in.vlong();
            total += size;
            if (size < 1 || total > n) {
                throw new IllegalStateException("corrupt log block: id runs do not match its records");
            }
            sizes[s] = (int) size;
        }
        if (total != n) {
            throw new IllegalStateException("corrupt log block: id runs do not match its records");
        }
        int[] sourceOf = runs == 1 ? new int[n] : PackedColumn.readCoded(in, n);
        return new Sources(baseIds, sizes, sourceOf);
    }

    /** Record ids: each run numbers its records from its highest id down, in block order. */
    private static long[] ids(Sources sources, int n) {
        int runs = sources.baseIds().length;
        long[] next = new long[runs];
        int[] left = sources.sizes().clone();
        for (int s = 0; s < runs; s++) {
            next[s] = sources.baseIds()[s] + left[s] - 1;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int s = sources.sourceOf()[i];
            if (s < 0 || s >= runs || left[s]-- == 0) {
                throw new IllegalStateException("corrupt log block: id runs do not match its records");
            }
            out[i] = next[s]--;
        }
        return out;
    }

    static byte[] inflate(byte[] src, int offset, int length, int rawSize) {
        if (rawSize < 0 || rawSize > MAX_RAW_BYTES) {
            throw new IllegalStateException("log block too large: " + rawSize);
        }
        byte[] out = new byte[rawSize];
        long n;
        try {
            n = Zstd.decompressByteArray(out, 0, rawSize, src, offset, length);
        } catch (RuntimeException e) { // zstd-jni reports damaged input with its own unchecked exception
            throw new IllegalStateException("corrupt log block: " + e.getMessage(), e);
        }
        if (Zstd.isError(n) || n != rawSize) {
            throw new IllegalStateException("corrupt log block");
        }
        return out;
    }

    Resource resource(int i) {
        return resources[resourceOf[i]];
    }

    /** Record {@code i}, decoding the tail of the whole block on first use. */
    LogRecord record(int i) {
        if (records == null) {
            records = decodeTail();
        }
        return records[i];
    }

    /**
     * The body of record {@code i}: a word search checks bodies first, and most blocks it reads hold no
     * match (Bloom-filter false positives, words spread over blocks), so this decodes the tail only up to
     * the bodies, without building attributes and records.
     */
    AttributeValue body(int i) {
        if (records != null) {
            return records[i].body();
        }
        if (bodies == null) {
            decodeTail(true);
        }
        return bodies[i];
    }

    private LogRecord[] decodeTail() {
        return decodeTail(false);
    }

    private LogRecord[] decodeTail(boolean bodiesOnly) {
        byte[] raw = inflate(tailZ, 0, tailZ.length, tailRawSize);
        ByteReader in = new ByteReader(raw, 0, raw.length);
        int n = size;
        long[] observed = PackedColumn.read(new ByteReader(observedPacked, 0, observedPacked.length), n);
        for (int i = 0; i < n; i++) {
            observed[i] += times[i];
        }
        int[] flags = new int[n];
        boolean[] unset = new boolean[n];
        long[] packedFlags = PackedColumn.read(in, n);
        for (int i = 0; i < n; i++) {
            long v = packedFlags[i];
            flags[i] = (int) v;
            unset[i] = (v >>> 32) != 0;
        }
        BlockStrings.Reader strings = new BlockStrings.Reader();
        String[] severityText = new String[n];
        for (int i = 0; i < n; i++) {
            severityText[i] = strings.str(in);
        }
        InstrumentationScope[] scopes = new InstrumentationScope[n];
        InstrumentationScope last = null;
        for (int i = 0; i < n; i++) {
            String name = strings.str(in);
            String version = strings.str(in);
            Attributes attrs = strings.attributes(in);
            InstrumentationScope s = name.isEmpty() && version.isEmpty() && attrs.isEmpty()
                    ? InstrumentationScope.EMPTY
                    : new InstrumentationScope(name, version, attrs);
            // consecutive records usually share a scope: keep one instance
            scopes[i] = s.equals(last) ? last : s;
            last = scopes[i];
        }
        AttributeValue[] bodies = new AttributeValue[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = RecordCodec.value(in);
        }
        if (bodiesOnly) {
            this.bodies = bodies;
            return null;
        }
        LogRecord[] out = new LogRecord[n];
        for (int i = 0; i < n; i++) {
            Attributes attrs = strings.attributes(in);
            out[i] = new LogRecord(
                    unset[i] ? 0 : times[i],
                    observed[i],
                    severity[i],
                    severityText[i],
                    bodies[i],
                    attrs,
                    traces[i],
                    spans[i],
                    flags[i],
                    resource(i),
                    scopes[i]);
        }
        return out;
    }
}
