package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.util.BytesRef;

/**
 * Merges stored log blocks into one block document column by column, for {@link LogCompaction}: the
 * merged block is written straight from the source blocks' columns, never through {@code LogRecord}s.
 * Heads are decoded as arrays; each tail is inflated once and walked once to find where every record's
 * values start; then the records are taken in merged order (time desc, id desc: a k-way merge of blocks
 * that are each in that order) and their tail values are copied over, bodies as the bytes they are, the
 * block-local string references renumbered into the merged block's dictionary. The index fields are
 * collected on the way with the same functions a fresh block uses ({@link LogBlocks}), so the result is
 * the block, byte for byte, that encoding the decoded records would give ({@code LogBlockMergeTest}).
 */
final class LogBlockMerge {

    private LogBlockMerge() {}

    /**
     * The block document holding every record of {@code blocks} (decoded heads of stored blocks of partition
     * {@code p}, in any order) in one block with id {@code blockId}, at zstd {@code level}; throws {@link LogBlock.TooLarge} when they
     * do not fit one block.
     */
    static Document document(List<LogBlock> blocks, long blockId, Partition p, int level) throws IOException {
        List<LogMergeSource> sources = new ArrayList<>(blocks.size());
        int runs = 0;
        int n = 0;
        for (LogBlock b : blocks) {
            sources.add(new LogMergeSource(b, runs));
            runs += b.sources.baseIds().length;
            n += b.size;
        }
        // merged order: each source is newest first already, so repeatedly take the newest head
        LogMergeSource[] src = new LogMergeSource[n];
        int[] rec = new int[n];
        for (int i = 0; i < n; i++) {
            LogMergeSource best = null;
            for (LogMergeSource s : sources) {
                if (s.next < s.head.size && (best == null || newer(s, best))) {
                    best = s;
                }
            }
            src[i] = best;
            rec[i] = best.next++;
        }

        Document doc = new Document();
        long newest = src[0].head.times[rec[0]];
        long oldest = src[n - 1].head.times[rec[n - 1]];
        doc.add(new LongPoint(LogBlocks.TIME_SPAN, oldest, newest));
        doc.add(new NumericDocValuesField(LogIndex.TS, newest));
        doc.add(new NumericDocValuesField(LogIndex.ID, blockId));

        ByteWriter head = new ByteWriter(64 + n * 8);
        head.vlong(n);
        head.vlong(runs);
        for (LogMergeSource s : sources) {
            for (int r = 0; r < s.head.sources.baseIds().length; r++) {
                head.vlong(s.head.sources.baseIds()[r]);
                head.vlong(s.head.sources.sizes()[r]);
            }
        }
        int[] column = new int[n];
        if (runs > 1) {
            for (int i = 0; i < n; i++) {
                column[i] = src[i].runOffset + src[i].head.sources.sourceOf()[rec[i]];
            }
            PackedColumn.writeCoded(head, column, n);
        }
        long prev = newest;
        head.fixed64(prev);
        for (int i = 0; i < n; i++) {
            long t = src[i].head.times[rec[i]];
            head.vlong(prev - t);
            prev = t;
        }
        boolean[] levels = new boolean[LogBlocks.LEVEL_NAMES.length];
        for (int i = 0; i < n; i++) {
            byte severity = src[i].head.severity[rec[i]];
            column[i] = severity & 0xFF;
            // the level as a decoded record reports it (from its severity number, the byte sign-extended)
            levels[SeverityLevel.fromNumber(severity).ordinal()] = true;
        }
        PackedColumn.writeCoded(head, column, n);
        resources(doc, src, rec, p, head, column);
        LogBlocks.IdHashes ids = new LogBlocks.IdHashes(n * 4);
        CharArraySet seen = new CharArraySet(1024, false);
        List<char[]> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogBlock b = src[i].head;
            int r = rec[i];
            column[i] = (b.traces[r] != null ? 1 : 0) | (b.spans[r] != null ? 2 : 0);
            // per record in the order a fresh block adds them: the filter is built from the same hashes
            LogBlocks.words(src[i].bodies[r], seen, words, ids);
            if (b.traces[r] != null) {
                ids.add(IdFilter.hash(b.traces[r]));
            }
            if (b.spans[r] != null) {
                ids.add(IdFilter.hash(b.spans[r]));
            }
        }
        PackedColumn.writeCoded(head, column, n);

        ByteWriter raw = new ByteWriter(16 + n * 28);
        for (int i = 0; i < n; i++) {
            if (src[i].head.traces[rec[i]] != null) {
                raw.fixed64(src[i].head.traces[rec[i]].high());
                raw.fixed64(src[i].head.traces[rec[i]].low());
            }
        }
        for (int i = 0; i < n; i++) {
            if (src[i].head.spans[rec[i]] != null) {
                raw.fixed64(src[i].head.spans[rec[i]].value());
            }
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = src[i].observed[rec[i]];
        }
        PackedColumn.write(raw, values, n);

        Map<String, Set<String>> keywords = new HashMap<>();
        Map<String, double[]> numeric = new HashMap<>();
        Set<String> severityTexts = new HashSet<>();
        Set<String> scopeNames = new HashSet<>();
        int tailBytes = 64;
        for (LogMergeSource s : sources) {
            tailBytes += s.tail.length;
        }
        byte[] tail = tail(src, rec, tailBytes, values, keywords, numeric, severityTexts, scopeNames);
        LogBlocks.indexFields(doc, levels, words, keywords, severityTexts, scopeNames, numeric, ids);
        doc.add(new BinaryDocValuesField(
                LogBlocks.BLOCK,
                new BytesRef(LogBlockEncoder.assemble(head.toArray(), raw.toArray(), tail, n, level))));
        return doc;
    }

    private static boolean newer(LogMergeSource a, LogMergeSource b) {
        long ta = a.head.times[a.next];
        long tb = b.head.times[b.next];
        return ta != tb ? ta > tb : a.head.id(a.next) > b.head.id(b.next);
    }

    /** The block's resource entries (as a fresh block adds them, with their {@code rid} fields) and each record's. */
    private static void resources(
            Document doc, LogMergeSource[] src, int[] rec, Partition p, ByteWriter head, int[] column)
            throws IOException {
        List<LogBlock.Entry> entries = new ArrayList<>();
        Map<Resource, Integer> entryOf = new IdentityHashMap<>();
        LogBlocks.Fingerprints fingerprints = new LogBlocks.Fingerprints();
        for (int i = 0; i < rec.length; i++) {
            Resource r = src[i].head.resource(rec[i]);
            Integer e = entryOf.get(r);
            if (e == null) {
                e = entries.size();
                entryOf.put(r, e);
                doc.add(LogBlocks.entry(r, fingerprints, p.resources, p, entries));
            }
            column[i] = e;
        }
        LogBlockEncoder.writeEntries(head, entries, column, rec.length);
    }

    /** The merged tail: flags, then severity texts, scopes, bodies and attributes in merged order. */
    private static byte[] tail(
            LogMergeSource[] src,
            int[] rec,
            int size,
            long[] values,
            Map<String, Set<String>> keywords,
            Map<String, double[]> numeric,
            Set<String> severityTexts,
            Set<String> scopeNames) {
        int n = rec.length;
        ByteWriter out = new ByteWriter(size);
        for (int i = 0; i < n; i++) {
            values[i] = src[i].flags[rec[i]];
        }
        PackedColumn.write(out, values, n);
        BlockStrings.Writer strings = new BlockStrings.Writer();
        for (int i = 0; i < n; i++) {
            ByteReader in = new ByteReader(src[i].tail, src[i].severityAt[rec[i]], src[i].tail.length);
            severityTexts.add(src[i].copyStr(in, out, strings));
        }
        for (int i = 0; i < n; i++) {
            LogMergeSource s = src[i];
            ByteReader in = new ByteReader(s.tail, s.scopeAt[rec[i]], s.tail.length);
            scopeNames.add(s.copyStr(in, out, strings));
            s.copyStr(in, out, strings);
            copyAttributes(s, in, out, strings, null, null);
        }
        for (int i = 0; i < n; i++) {
            LogMergeSource s = src[i];
            out.bytes(s.tail, s.bodyAt[rec[i]], s.bodyEnd[rec[i]] - s.bodyAt[rec[i]]);
        }
        for (int i = 0; i < n; i++) {
            LogMergeSource s = src[i];
            copyAttributes(
                    s, new ByteReader(s.tail, s.attributesAt[rec[i]], s.tail.length), out, strings, keywords, numeric);
        }
        return out.toArray();
    }

    /**
     * Copies an attribute set, its strings renumbered into the merged dictionary; with {@code keywords},
     * also indexes it as a fresh block does ({@link LogBlocks#attribute}).
     */
    private static void copyAttributes(
            LogMergeSource s,
            ByteReader in,
            ByteWriter out,
            BlockStrings.Writer strings,
            Map<String, Set<String>> keywords,
            Map<String, double[]> numeric) {
        long n = in.vlong();
        out.vlong(n);
        for (long i = 0; i < n; i++) {
            String key = s.copyStr(in, out, strings);
            AttributeValue v = copyValue(s, in, out, strings, keywords != null);
            if (keywords != null) {
                LogBlocks.attribute(key, v, keywords, numeric);
            }
        }
    }

    /** Copies one value (the type byte, then as {@link BlockStrings} writes it); builds it when {@code build}. */
    private static AttributeValue copyValue(
            LogMergeSource s, ByteReader in, ByteWriter out, BlockStrings.Writer strings, boolean build) {
        int type = in.b();
        out.b(type);
        switch (type) {
            case 0 -> {
                String v = s.copyStr(in, out, strings);
                return build ? new AttributeValue.StringValue(v) : null;
            }
            case 1, 11 -> {
                return build ? new AttributeValue.BoolValue(type == 11) : null;
            }
            case 2 -> {
                long v = in.zlong();
                out.zlong(v);
                return build ? new AttributeValue.LongValue(v) : null;
            }
            case 3 -> {
                long bits = in.fixed64();
                out.fixed64(bits);
                return build ? new AttributeValue.DoubleValue(Double.longBitsToDouble(bits)) : null;
            }
            case 4 -> {
                byte[] bytes = in.bytes(Math.toIntExact(in.vlong()));
                out.vlong(bytes.length);
                out.bytes(bytes, 0, bytes.length);
                return build ? new AttributeValue.BytesValue(bytes) : null;
            }
            case 5 -> {
                long n = in.vlong();
                out.vlong(n);
                List<AttributeValue> values = build ? new ArrayList<>() : null;
                for (long i = 0; i < n; i++) {
                    AttributeValue e = copyValue(s, in, out, strings, build);
                    if (build) {
                        values.add(e);
                    }
                }
                return build ? new AttributeValue.ArrayValue(values) : null;
            }
            case 6 -> {
                long n = in.vlong();
                out.vlong(n);
                Map<String, AttributeValue> m = build ? new LinkedHashMap<>() : null;
                for (long i = 0; i < n; i++) {
                    String key = s.copyStr(in, out, strings);
                    AttributeValue e = copyValue(s, in, out, strings, build);
                    if (build) {
                        m.put(key, e);
                    }
                }
                return build ? new AttributeValue.MapValue(new Attributes(m)) : null;
            }
            default -> throw new IllegalStateException("corrupt log block: value type " + type);
        }
    }
}
