package dev.nightjar.storage.lucene;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.nightjar.core.logs.LogRecord;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Writes the {@link LogBlock} format: records to columns, columns to the compressed head and tail and the
 * uncompressed part between. Apart from {@link LogBlock}, which is the decoded block that queries read,
 * because the writer shares no state with it and keeps its own (the reused zstd contexts).
 */
final class LogBlockEncoder {

    private LogBlockEncoder() {}

    /**
     * The resource table (inline attributes, or the id of the resource document) and each record's index
     * into it; fresh blocks and merged blocks write it the same way.
     */
    static void writeEntries(ByteWriter head, List<LogBlock.Entry> entries, int[] resourceOf, int n) {
        head.vlong(entries.size());
        for (LogBlock.Entry e : entries) {
            head.b(e.inline() ? 1 : 0);
            if (e.inline()) {
                RecordCodec.attributes(head, e.resource().attributes());
            } else {
                head.bytes(e.rid().bytes, e.rid().offset, e.rid().length);
            }
        }
        PackedColumn.writeCoded(head, resourceOf, n);
    }

    /**
     * Encodes records sorted newest first; {@code resourceOf[i]} indexes {@code entries}, {@code ids} says
     * which id each record has.
     */
    static byte[] encode(
            List<LogRecord> records, LogBlock.Sources ids, List<LogBlock.Entry> entries, int[] resourceOf, int level) {
        int n = records.size();
        ByteWriter head = new ByteWriter(64 + n * 32);
        head.vlong(n);
        head.vlong(ids.baseIds().length);
        for (int s = 0; s < ids.baseIds().length; s++) {
            head.vlong(ids.baseIds()[s]);
            head.vlong(ids.sizes()[s]);
        }
        if (ids.baseIds().length > 1) {
            PackedColumn.writeCoded(head, ids.sourceOf(), n);
        }
        long prev = records.getFirst().effectiveTimeUnixNano();
        head.fixed64(prev);
        for (LogRecord r : records) {
            long t = r.effectiveTimeUnixNano();
            head.vlong(prev - t);
            prev = t;
        }
        // few distinct values each: coded in 2-3 bits per record rather than a byte in zstd's shared table
        int[] small = new int[n];
        for (int i = 0; i < n; i++) {
            small[i] = records.get(i).severityNumber() & 0xFF;
        }
        PackedColumn.writeCoded(head, small, n);
        writeEntries(head, entries, resourceOf, n);
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            small[i] = (r.traceId() != null ? 1 : 0) | (r.spanId() != null ? 2 : 0);
        }
        PackedColumn.writeCoded(head, small, n);
        // random ids and observed-time offsets stay outside zstd: they do not compress, and inside the
        // frame they would share (and flatten) the literal statistics of the columns that do
        ByteWriter raw = new ByteWriter(16 + n * 28);
        for (LogRecord r : records) {
            if (r.traceId() != null) {
                raw.fixed64(r.traceId().high());
                raw.fixed64(r.traceId().low());
            }
        }
        for (LogRecord r : records) {
            if (r.spanId() != null) {
                raw.fixed64(r.spanId().value());
            }
        }
        long[] observed = new long[n];
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            observed[i] = r.observedTimeUnixNano() - r.effectiveTimeUnixNano();
        }
        PackedColumn.write(raw, observed, n);

        ByteWriter tail = new ByteWriter(64 + n * 256);
        long[] flags = new long[n];
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            // bit 32: the record's own time was unset (its effective time is the observed time)
            flags[i] = (r.flags() & 0xFFFFFFFFL) | (r.timeUnixNano() == 0 ? 1L << 32 : 0);
        }
        PackedColumn.write(tail, flags, n); // usually one bit per record (trace sampled or not)
        BlockStrings.Writer strings = new BlockStrings.Writer();
        for (LogRecord r : records) {
            strings.str(tail, r.severityText());
        }
        for (LogRecord r : records) {
            strings.str(tail, r.scope().name());
            strings.str(tail, r.scope().version());
            strings.attributes(tail, r.scope().attributes());
        }
        for (LogRecord r : records) {
            RecordCodec.value(tail, r.body());
        }
        for (LogRecord r : records) {
            strings.attributes(tail, r.attributes());
        }

        return assemble(head.toArray(), raw.toArray(), tail.toArray(), n, level);
    }

    /**
     * The block of {@code n} records from its three parts: head and tail compressed at {@code level}, the
     * raw part as it is. Shared with {@link LogBlockMerge}, which writes the same columns from merged blocks.
     */
    static byte[] assemble(byte[] h, byte[] w, byte[] t, int n, int level) {
        if (n > 1 && Math.max(h.length, t.length) > LogBlock.MAX_ENCODED_RAW_BYTES) {
            throw new LogBlock.TooLarge(Math.max(h.length, t.length));
        }
        byte[] hz = compress(h, level);
        byte[] tz = compress(t, level);
        return ByteBuffer.allocate(LogBlock.HEADER + hz.length + w.length + tz.length)
                .put(LogBlock.VERSION)
                .putInt(h.length)
                .putInt(hz.length)
                .putInt(w.length)
                .putInt(t.length)
                .put(hz)
                .put(w)
                .put(tz)
                .array();
    }

    /**
     * Compression contexts kept for reuse: a new context allocates (and the kernel faults in) MiBs of match
     * tables for every block; a few are kept, any beyond that are closed. Same output as {@code
     * Zstd.compress}, which makes a new context per call.
     */
    private static final ArrayBlockingQueue<ZstdCompressCtx> CONTEXTS = new ArrayBlockingQueue<>(8);

    private static byte[] compress(byte[] raw, int level) {
        ZstdCompressCtx ctx = CONTEXTS.poll();
        if (ctx == null) {
            ctx = new ZstdCompressCtx();
        }
        byte[] out;
        try {
            out = ctx.setLevel(level).compress(raw);
        } catch (RuntimeException e) {
            ctx.close(); // its state is unknown now
            throw e;
        }
        if (!CONTEXTS.offer(ctx)) {
            ctx.close();
        }
        return out;
    }
}
