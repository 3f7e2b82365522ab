package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column-by-column merge must give exactly the block document that decoding the source blocks into
 * records, sorting them and encoding them again gives (the merge before it): the same block bytes, Bloom
 * filter, terms, points and doc values, over records with every kind of value (nested arrays and maps,
 * bytes, doubles, non-ASCII and lone surrogates, values past the 512-byte term limit, unset times, scopes
 * with attributes, non-string bodies). A damaged source block fails with an error, never a wrong block.
 */
class LogBlockMergeTest {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000d1");
    private static final Instant T0 = Instant.parse("2026-11-22T01:00:00Z");
    private static final String[] WORDS = {
        "GET", "timeout", "connection", "refused", "Überweisung", "日本語", "cache", "miss", "user", "😀", "a_b"
    };

    @TempDir
    Path dir;

    @Test
    void theMergedBlockIsTheOneEncodingTheDecodedRecordsGives() throws IOException {
        SplittableRandom rnd = new SplittableRandom(23);
        try (LuceneStorage store = new LuceneStorage(
                LuceneStorageConfig.defaults(dir).withCommitInterval(null).withLogCompactionInterval(null))) {
            List<LogRecord> records = varied(6_000, rnd);
            for (int i = 0; i < records.size(); ) {
                List<LogRecord> batch = records.subList(i, Math.min(records.size(), i + rnd.nextInt(1, 500)));
                store.logWriter().write(TENANT, batch);
                i += batch.size();
            }
            store.flush();
            List<Partition> partitions = store.partitions(TENANT, Signal.LOGS).all();
            assertThat(partitions).hasSize(1);
            Partition p = partitions.getFirst();
            List<LogBlock> blocks = blocks(p);
            assertThat(blocks.size()).isGreaterThan(20);
            int groups = 0;
            for (int i = 0; i + 1 < blocks.size(); groups++) {
                List<LogBlock> group = blocks.subList(i, Math.min(blocks.size(), i + rnd.nextInt(2, 9)));
                Document merged = LogBlockMerge.document(group, 1_000 + groups, p, LogBlock.COMPACT_ZSTD_LEVEL);
                Document expected = recordByRecord(group, 1_000 + groups, p);
                assertThat(describe(merged)).isEqualTo(describe(expected));

                LogBlock back = LogBlock.decode(merged.getBinaryValue(LogBlocks.BLOCK), p.resources);
                List<long[]> keys = new ArrayList<>();
                List<LogRecord> sorted = sortedRecords(group, keys);
                assertThat(back.size).isEqualTo(sorted.size());
                for (int r = 0; r < back.size; r++) {
                    assertThat(back.record(r)).isEqualTo(sorted.get(r));
                    assertThat(back.id(r)).isEqualTo(keys.get(r)[1]);
                }
                i += group.size();
            }
            assertThat(groups).isGreaterThan(3);
        }
    }

    @Test
    void aDamagedSourceTailFailsWithAnError() throws IOException {
        SplittableRandom rnd = new SplittableRandom(24);
        try (LuceneStorage store = new LuceneStorage(
                LuceneStorageConfig.defaults(dir).withCommitInterval(null).withLogCompactionInterval(null))) {
            List<LogRecord> records = varied(600, rnd);
            store.logWriter().write(TENANT, records.subList(0, 300));
            store.logWriter().write(TENANT, records.subList(300, 600));
            store.flush();
            Partition p = store.partitions(TENANT, Signal.LOGS).all().getFirst();
            List<LogBlock> blocks = blocks(p);
            assertThat(blocks).hasSize(2);
            LogBlock good = blocks.get(1);
            byte[] tail = LogBlock.inflate(good.tailZ, 0, good.tailZ.length, good.tailRawSize);
            for (int cut : new int[] {1, tail.length / 3, tail.length / 2, tail.length - 1}) {
                // the tail cut short, compressed again: a block whose head is right and whose tail is not
                byte[] payload = rebuild(good, Zstd.compress(Arrays.copyOf(tail, cut)), cut);
                LogBlock bad = LogBlock.decode(new BytesRef(payload), p.resources);
                assertThatThrownBy(() -> LogBlockMerge.document(List.of(blocks.get(0), bad), 9, p, 1))
                        .isInstanceOf(IllegalStateException.class);
            }
        }
    }

    /** Re-encodes {@code b}'s head and raw part as they were and puts {@code tailZ} behind them. */
    private static byte[] rebuild(LogBlock b, byte[] tailZ, int tailRaw) {
        // the original payload of b is not kept by LogBlock: re-encode its records' head and raw parts
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < b.size; i++) {
            records.add(b.record(i));
        }
        List<LogBlock.Entry> entries = new ArrayList<>();
        int[] resourceOf = new int[b.size];
        for (int i = 0; i < b.size; i++) {
            resourceOf[i] = b.resourceOf[i];
        }
        for (Resource r : b.resources) {
            entries.add(new LogBlock.Entry(ResourceTable.fingerprint(r), r, false));
        }
        byte[] full = LogBlockEncoder.encode(records, b.sources, entries, resourceOf, LogBlock.ZSTD_LEVEL);
        java.nio.ByteBuffer f = java.nio.ByteBuffer.wrap(full);
        f.get();
        int headRaw = f.getInt();
        int headZ = f.getInt();
        int rawLength = f.getInt();
        return java.nio.ByteBuffer.allocate(LogBlock.HEADER + headZ + rawLength + tailZ.length)
                .put(LogBlock.VERSION)
                .putInt(headRaw)
                .putInt(headZ)
                .putInt(rawLength)
                .putInt(tailRaw)
                .put(full, LogBlock.HEADER, headZ + rawLength)
                .put(tailZ)
                .array();
    }

    /** The merge as it was before: every record decoded, sorted, and encoded again as a fresh block. */
    private static Document recordByRecord(List<LogBlock> group, long blockId, Partition p) throws IOException {
        List<long[]> keys = new ArrayList<>();
        List<LogRecord> records = sortedRecords(group, keys);
        List<Long> baseIds = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (LogBlock b : group) {
            for (int r = 0; r < b.sources.baseIds().length; r++) {
                baseIds.add(b.sources.baseIds()[r]);
                sizes.add(b.sources.sizes()[r]);
            }
        }
        int[] sourceOf = new int[records.size()];
        for (int i = 0; i < sourceOf.length; i++) {
            sourceOf[i] = (int) keys.get(i)[2];
        }
        LogBlock.Sources ids = new LogBlock.Sources(
                baseIds.stream().mapToLong(Long::longValue).toArray(),
                sizes.stream().mapToInt(Integer::intValue).toArray(),
                sourceOf);
        return LogBlocks.document(records, blockId, ids, new LogBlocks.Fingerprints(), p, LogBlock.COMPACT_ZSTD_LEVEL);
    }

    /** The group's records newest first (time desc, id desc); {@code keys} gets (time, id, run) of each. */
    private static List<LogRecord> sortedRecords(List<LogBlock> group, List<long[]> keys) {
        record Row(long time, long id, int run, LogRecord record) {}
        List<Row> rows = new ArrayList<>();
        int firstRun = 0;
        for (LogBlock b : group) {
            for (int i = 0; i < b.size; i++) {
                rows.add(new Row(b.times[i], b.id(i), firstRun + b.sources.sourceOf()[i], b.record(i)));
            }
            firstRun += b.sources.baseIds().length;
        }
        rows.sort(Comparator.comparingLong(Row::time).thenComparingLong(Row::id).reversed());
        List<LogRecord> out = new ArrayList<>();
        for (Row r : rows) {
            keys.add(new long[] {r.time(), r.id(), r.run()});
            out.add(r.record());
        }
        return out;
    }

    private static List<LogBlock> blocks(Partition p) throws IOException {
        List<LogBlock> out = new ArrayList<>();
        IndexSearcher s = p.acquire();
        try {
            for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                BinaryDocValues dv = DocValues.getBinary(ctx.reader(), LogBlocks.BLOCK);
                for (int doc = dv.nextDoc(); doc != BinaryDocValues.NO_MORE_DOCS; doc = dv.nextDoc()) {
                    out.add(LogBlock.decode(dv.binaryValue(), p.resources));
                }
            }
        } finally {
            p.release(s);
        }
        return out;
    }

    /** Every field of a document as text: name and value bytes, number or (token streams) its tokens. */
    private static List<String> describe(Document doc) throws IOException {
        List<String> out = new ArrayList<>();
        for (IndexableField f : doc.getFields()) {
            TokenStream ts = f instanceof Field field ? field.tokenStreamValue() : null;
            if (ts != null) {
                List<String> tokens = new ArrayList<>();
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                    tokens.add(term.toString());
                }
                ts.end();
                ts.close();
                out.add(f.name() + " " + tokens);
            } else if (f.binaryValue() != null) {
                BytesRef b = f.binaryValue();
                out.add(f.name() + " " + HexFormat.of().formatHex(b.bytes, b.offset, b.length));
            } else {
                out.add(f.name() + " " + f.numericValue());
            }
        }
        return out;
    }

    /** Records with every kind of value the block format stores, all in one daily partition. */
    static List<LogRecord> varied(int n, SplittableRandom rnd) {
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            resources.add(Resource.of("service.name", "svc-" + i, "k8s.pod.name", "pod-" + i, "replica", i));
        }
        List<InstrumentationScope> scopes = List.of(
                InstrumentationScope.EMPTY,
                InstrumentationScope.of("io.app.Handler", "1.2"),
                new InstrumentationScope("lib", "", Attributes.of("k", "v", "n", 3)));
        String longValue = "x".repeat(600);
        List<LogRecord> out = new ArrayList<>();
        long start = Timestamps.toNanos(T0);
        for (int k = 0; k < n; k++) {
            long t = start + rnd.nextLong(Duration.ofHours(20).toNanos());
            StringBuilder body = new StringBuilder();
            for (int w = rnd.nextInt(1, 7); w > 0; w--) {
                body.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextBoolean() ? " " : ", ");
            }
            body.append("req ").append(Long.toHexString(rnd.nextLong() | 1L << 60));
            if (k % 13 == 0) {
                body.append(" lone \uD800 surrogate");
            }
            AttributeValue bodyValue = switch (k % 29) {
                case 0 -> new AttributeValue.MapValue(Attributes.of("event", "login", "ok", true));
                case 1 -> new AttributeValue.LongValue(k);
                default -> new AttributeValue.StringValue(body.toString());
            };
            Attributes.Builder attrs = Attributes.builder();
            attrs.put("user", "u" + rnd.nextInt(40));
            if (rnd.nextBoolean()) {
                attrs.put("http.status_code", 200 + 100 * rnd.nextInt(4));
            }
            if (rnd.nextInt(4) == 0) {
                attrs.put("ratio", rnd.nextDouble());
            }
            if (rnd.nextInt(5) == 0) {
                attrs.put("ok", rnd.nextBoolean());
            }
            if (rnd.nextInt(9) == 0) {
                attrs.put("blob", new AttributeValue.BytesValue(new byte[] {1, 2, (byte) k}));
            }
            if (rnd.nextInt(6) == 0) {
                attrs.put(
                        "tags",
                        new AttributeValue.ArrayValue(List.of(
                                new AttributeValue.StringValue("t" + rnd.nextInt(5)),
                                new AttributeValue.LongValue(rnd.nextInt(1_000_000)),
                                new AttributeValue.ArrayValue(List.of(new AttributeValue.BoolValue(true))))));
            }
            if (rnd.nextInt(7) == 0) {
                attrs.put(
                        "ctx",
                        new AttributeValue.MapValue(Attributes.of("a", "x" + rnd.nextInt(3), "b", rnd.nextInt(100))));
            }
            if (rnd.nextInt(11) == 0) {
                attrs.put("long", longValue + rnd.nextInt(3));
            }
            if (rnd.nextInt(3) == 0) {
                attrs.put("req.id", Long.toHexString(rnd.nextLong()));
            }
            if (rnd.nextInt(8) == 0) {
                attrs.put("ünï", "wért \uDC00");
            }
            boolean unset = rnd.nextInt(17) == 0;
            out.add(LogRecord.builder()
                    .timeUnixNano(unset ? 0 : t)
                    .observedTimeUnixNano(t + rnd.nextLong(5_000_000))
                    .severityNumber(rnd.nextInt(0, 25))
                    .severityText(List.of("", "INFO", "Oops", "ÉRREUR").get(rnd.nextInt(4)))
                    .body(bodyValue)
                    .attributes(attrs.build())
                    .traceId(rnd.nextInt(3) == 0 ? null : new TraceId(rnd.nextLong(), rnd.nextLong()))
                    .spanId(rnd.nextInt(4) == 0 ? null : new SpanId(rnd.nextLong()))
                    .flags(rnd.nextInt(3))
                    .resource(resources.get(rnd.nextInt(resources.size())))
                    .scope(scopes.get(rnd.nextInt(scopes.size())))
                    .build());
        }
        return out;
    }
}
