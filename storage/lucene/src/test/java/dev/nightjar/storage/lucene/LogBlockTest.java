package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block codec and the id filter, on their own. */
class LogBlockTest {

    private static final Resource IN_TABLE = Resource.of("service.name", "checkout", "k8s.pod.name", "p-1");
    private static final Resource INLINE = Resource.of("service.name", "one-off", "request.id", "r\uD800-lone");

    @TempDir
    Path dir;

    private static List<LogRecord> records() {
        List<LogRecord> out = new ArrayList<>();
        out.add(LogRecord.builder()
                .timeUnixNano(9_000)
                .observedTimeUnixNano(9_500)
                .severityNumber(17)
                .severityText("ERROR")
                .body("a\uD800b \uDFFF and 日本語 🙂")
                .attributes(Attributes.of(
                        "k\uDC00", AttributeValue.ofArray(List.of(AttributeValue.of(1L), AttributeValue.of("x")))))
                .traceId(new TraceId(-1L, 42))
                .spanId(new SpanId(Long.MIN_VALUE))
                .flags(-1)
                .resource(IN_TABLE)
                .scope(new InstrumentationScope("lib", "1.0", Attributes.of("a", "b")))
                .build());
        // time unset: sorted by its observed time, decoded with time 0 again
        out.add(LogRecord.builder()
                .observedTimeUnixNano(8_000)
                .body(AttributeValue.of(3.5))
                .resource(INLINE)
                .build());
        // observed time unset (0): a negative observed-time delta
        out.add(LogRecord.builder()
                .timeUnixNano(7_000)
                .body(AttributeValue.ofBytes(new byte[] {0, -1, 7}))
                .spanId(new SpanId(5))
                .resource(IN_TABLE)
                .build());
        out.add(LogRecord.builder()
                .timeUnixNano(7_000)
                .body("")
                .resource(IN_TABLE)
                .build());
        return out;
    }

    private LogBlock roundTrip(List<LogRecord> records, long baseId) throws Exception {
        try (FSDirectory d = FSDirectory.open(dir);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
            ResourceTable table = new ResourceTable();
            BytesRef rid = ResourceTable.fingerprint(IN_TABLE);
            assertThat(table.tryEnsure(w, rid, IN_TABLE)).isTrue();
            List<LogBlock.Entry> entries = List.of(
                    new LogBlock.Entry(rid, IN_TABLE, false),
                    new LogBlock.Entry(ResourceTable.fingerprint(INLINE), INLINE, true));
            int[] resourceOf = records.stream()
                    .mapToInt(r -> r.resource() == INLINE ? 1 : 0)
                    .toArray();
            byte[] payload = LogBlock.encode(records, baseId, entries, resourceOf);
            return LogBlock.decode(new BytesRef(payload), table);
        }
    }

    @Test
    void roundTripsEveryFieldAndKeepsNewestFirstIds() throws Exception {
        List<LogRecord> records = records();
        LogBlock b = roundTrip(records, 1000);
        assertThat(b.size).isEqualTo(records.size());
        for (int i = 0; i < records.size(); i++) {
            assertThat(b.record(i)).isEqualTo(records.get(i));
            assertThat(b.times[i]).isEqualTo(records.get(i).effectiveTimeUnixNano());
            assertThat(b.resource(i)).isEqualTo(records.get(i).resource());
        }
        // ids fall along the block: (time desc, id desc) is the block order, also for equal times
        assertThat(b.id(0)).isEqualTo(1003);
        assertThat(b.id(2)).isGreaterThan(b.id(3));
    }

    @Test
    void aMergedBlockKeepsTheIdsOfItsSourceRuns() throws Exception {
        List<LogRecord> records = records();
        List<LogBlock.Entry> entries = List.of(
                new LogBlock.Entry(ResourceTable.fingerprint(IN_TABLE), IN_TABLE, true),
                new LogBlock.Entry(ResourceTable.fingerprint(INLINE), INLINE, true));
        int[] resourceOf = {0, 1, 0, 0};
        // records 0 and 3 came from a block numbered 500..501, records 1 and 2 from one numbered 90..91
        LogBlock.Sources runs = new LogBlock.Sources(new long[] {500, 90}, new int[] {2, 2}, new int[] {0, 1, 1, 0});
        byte[] payload = LogBlockEncoder.encode(records, runs, entries, resourceOf, LogBlock.COMPACT_ZSTD_LEVEL);
        LogBlock b = LogBlock.decode(new BytesRef(payload), new ResourceTable());
        assertThat(LogBlock.count(new BytesRef(payload))).isEqualTo(4);
        assertThat(new long[] {b.id(0), b.id(1), b.id(2), b.id(3)}).containsExactly(501, 91, 90, 500);
        for (int i = 0; i < records.size(); i++) {
            assertThat(b.record(i)).isEqualTo(records.get(i));
        }
        assertThat(b.sources.sourceOf()).containsExactly(0, 1, 1, 0);

        // runs that do not add up to the records, or a record pointing past its run, are refused
        for (LogBlock.Sources lie : List.of(
                new LogBlock.Sources(new long[] {500, 90}, new int[] {3, 2}, new int[] {0, 1, 1, 0}),
                new LogBlock.Sources(new long[] {500, 90}, new int[] {1, 3}, new int[] {0, 1, 1, 0}),
                new LogBlock.Sources(new long[] {500}, new int[] {3}, new int[4]))) {
            byte[] bad = LogBlockEncoder.encode(records, lie, entries, resourceOf, 1);
            assertThatThrownBy(() -> LogBlock.decode(new BytesRef(bad), new ResourceTable()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("id runs");
        }
    }

    @Test
    void aTruncatedOrCorruptBlockIsRefusedNotMisread() throws Exception {
        List<LogRecord> records = records();
        List<LogBlock.Entry> entries = List.of(
                new LogBlock.Entry(ResourceTable.fingerprint(IN_TABLE), IN_TABLE, true),
                new LogBlock.Entry(ResourceTable.fingerprint(INLINE), INLINE, true));
        byte[] payload = LogBlock.encode(records, 1, entries, new int[] {0, 1, 0, 0});
        ResourceTable table = new ResourceTable();

        byte[] cut = Arrays.copyOf(payload, payload.length - 3);
        assertThatThrownBy(() -> LogBlock.decode(new BytesRef(cut), table).record(0))
                .isInstanceOf(IllegalStateException.class);

        byte[] huge = payload.clone();
        ByteBuffer.wrap(huge).putInt(1, Integer.MAX_VALUE); // head claims 2 GiB when inflated
        assertThatThrownBy(() -> LogBlock.decode(new BytesRef(huge), table))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too large");

        byte[] version = payload.clone();
        version[0] = 99;
        assertThatThrownBy(() -> LogBlock.decode(new BytesRef(version), table))
                .isInstanceOf(IllegalStateException.class);

        byte[] older = payload.clone();
        older[0] = 3; // the layout before merged blocks (ids from one base)
        assertThatThrownBy(() -> LogBlock.decode(new BytesRef(older), table))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("earlier development version");

        for (int at : new int[] {5, 9}) { // compressed head size, uncompressed part size
            for (int lie : new int[] {Integer.MAX_VALUE, -1, payload.length}) {
                byte[] lying = payload.clone();
                ByteBuffer.wrap(lying).putInt(at, lie);
                assertThatThrownBy(() ->
                                LogBlock.decode(new BytesRef(lying), table).record(0))
                        .isInstanceOf(IllegalStateException.class);
            }
        }
        assertThatThrownBy(() -> LogBlock.decode(new BytesRef(Arrays.copyOf(payload, 7)), table))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idFilterNeverMissesAnIdAndRarelyClaimsAnAbsentOne() {
        SplittableRandom rnd = new SplittableRandom(1);
        int n = 2000;
        long[] hashes = new long[n];
        List<TraceId> present = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TraceId t = new TraceId(rnd.nextLong(), rnd.nextLong());
            present.add(t);
            hashes[i] = IdFilter.hash(t);
        }
        BytesRef filter = new BytesRef(IdFilter.build(hashes, n));
        assertThat(present).allMatch(t -> IdFilter.mightContain(filter, IdFilter.hash(t)));
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (IdFilter.mightContain(filter, IdFilter.hash(new TraceId(rnd.nextLong(), rnd.nextLong())))) {
                falsePositives++;
            }
        }
        // 10 bits and 7 hashes per id: ~0.8 % in theory; deterministic for this seed
        assertThat(falsePositives).isLessThan(2_000);
        assertThat(IdFilter.mightContain(new BytesRef(new byte[0]), 1)).isFalse();
    }

    @Test
    void aFilterSizedByDistinctValuesHoldsRepeatedOnes() {
        long[] hashes = new long[1000];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = IdFilter.hashWord("request" + (i % 10));
        }
        byte[] filter = IdFilter.build(hashes, hashes.length);
        assertThat(filter.length).as("10 distinct values, 10 bits each").isEqualTo(16);
        for (int i = 0; i < 10; i++) {
            assertThat(IdFilter.mightContain(new BytesRef(filter), IdFilter.hashWord("request" + i)))
                    .isTrue();
        }
    }

    @Test
    void highEntropyWordsAreTheLongOnesWithDigits() {
        assertThat(List.of("4bf92f3577b34da6", "1234567", "10.0.3.17", "user42x", "http-nio-8080-exec-1"))
                .allMatch(IdFilter::highEntropy);
        assertThat(List.of("timeout", "200", "12345", "connection", "", "ndl5q"))
                .noneMatch(IdFilter::highEntropy);
        char[] chars = "abc123".toCharArray();
        assertThat(IdFilter.highEntropy(chars, 6)).isTrue();
        assertThat(IdFilter.highEntropy(chars, 5)).isFalse();
        assertThat(IdFilter.hashWord(chars, 6)).isEqualTo(IdFilter.hashWord("abc123"));
    }

    @Test
    void packedColumnsRoundTripAnyLongs() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<long[]> columns = List.of(
                new long[] {0, 0, 0},
                new long[] {5},
                new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1},
                rnd.longs(1000, 0, 5_000_000).toArray(),
                rnd.longs(777).toArray(),
                rnd.longs(64, -3, 4).toArray());
        for (long[] column : columns) {
            ByteWriter out = new ByteWriter(16);
            PackedColumn.write(out, column, column.length);
            byte[] bytes = out.toArray();
            assertThat(PackedColumn.read(new ByteReader(bytes, 0, bytes.length), column.length))
                    .containsExactly(column);
        }
        ByteWriter out = new ByteWriter(16);
        PackedColumn.write(out, new long[] {0, 0}, 2);
        assertThat(out.toArray())
                .as("a constant column is its value and a zero width")
                .hasSize(2);
    }

    @Test
    void aHostilePackedColumnIsRefused() {
        byte[] wide = {0, 65}; // width 65 bits
        assertThatThrownBy(() -> PackedColumn.read(new ByteReader(wide, 0, wide.length), 1))
                .isInstanceOf(IllegalStateException.class);
        byte[] cut = {0, 23, 1, 2}; // claims 23-bit values, holds 2 bytes
        assertThatThrownBy(() -> PackedColumn.read(new ByteReader(cut, 0, cut.length), 4))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theWordPrefilterNeverRejectsABodyThatHoldsTheWord() {
        assertThat(BlockFilter.mayContain("Request 4BF92F3577B34DA6 done", "4bf92f3577b34da6"))
                .isTrue();
        assertThat(BlockFilter.mayContain("KELVIN \u212Aey", "key"))
                .as("U+212A folds to k")
                .isTrue();
        assertThat(BlockFilter.mayContain("\u0130d", "id"))
                .as("U+0130 folds to i")
                .isTrue();
        assertThat(BlockFilter.mayContain("caf\u00e9", "caf\u00e9")).isTrue();
        assertThat(BlockFilter.mayContain("", "x")).isFalse();
        assertThat(BlockFilter.mayContain("req 4bf92f3577b34da7", "4bf92f3577b34da6"))
                .isFalse();
        assertThat(BlockFilter.mayContain("4bf92", "4bf92f")).isFalse();
    }
}
