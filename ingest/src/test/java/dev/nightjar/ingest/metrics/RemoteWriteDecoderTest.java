package dev.nightjar.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteDecoderTest {
    private final RemoteWriteDecoder decoder = new RemoteWriteDecoder(RemoteWriteLimits.DEFAULT);

    @Test
    void decodesSeriesAndSamples() {
        byte[] body = WriteRequests.snappy(WriteRequests.encode(List.of(
                new WriteRequests.Series(
                        List.of("__name__", "up", "job", "api", "empty", ""),
                        List.of(new double[] {1000, 1}, new double[] {2000, 0})),
                new WriteRequests.Series(
                        List.of("job", "db", "__name__", "temp"), List.of(new double[] {1500, Double.NaN})))));

        MetricsBatch batch = decoder.decodeSnappy(body).toBatch();

        assertThat(batch.series()).hasSize(2);
        assertThat(batch.series().get(0).labels()).isEqualTo(Labels.of("__name__", "up", "job", "api"));
        assertThat(batch.series().get(0).samples()).containsExactly(new Sample(1000, 1), new Sample(2000, 0));
        assertThat(batch.series().get(1).labels()).isEqualTo(Labels.of("__name__", "temp", "job", "db"));
        assertThat(batch.series().get(1).samples().getFirst().value()).isNaN();
    }

    @Test
    void aSeriesSentAgainReusesItsDecodedLabels() {
        byte[] body = WriteRequests.encode(List.of(new WriteRequests.Series(
                List.of("job", "api", "__name__", "up", "instance", "a:1"), List.of(new double[] {1000, 1}))));
        Labels first = decoder.decode(body).series().getFirst();
        Labels again = decoder.decode(body.clone()).series().getFirst();

        assertThat(first).isEqualTo(Labels.of("__name__", "up", "instance", "a:1", "job", "api"));
        assertThat(again).isSameAs(first);
    }

    @Test
    void aCachedSeriesDoesNotLetAnInvalidVariantThrough() {
        decoder.decode(WriteRequests.encode(List.of(
                new WriteRequests.Series(List.of("__name__", "up", "job", "api"), List.of(new double[] {1, 1})))));
        // Same names, one duplicated: other bytes, so it is decoded and validated afresh.
        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(List.of(new WriteRequests.Series(
                        List.of("__name__", "up", "job", "api", "job", "web"), List.of(new double[] {1, 1}))))))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("duplicate label name");
        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(List.of(new WriteRequests.Series(
                        List.of("__name__", "up", "job", "api", "9bad", "x"), List.of(new double[] {1, 1}))))))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("invalid label name");
    }

    @Test
    void labelsInterleavedWithSamplesStillDecode() throws Exception {
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        CodedOutputStream series = CodedOutputStream.newInstance(ts);
        series.writeByteArray(1, label("__name__", "up"));
        series.writeByteArray(2, sample(1000, 1));
        series.writeByteArray(1, label("job", "api"));
        series.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream req = CodedOutputStream.newInstance(out);
        req.writeByteArray(1, ts.toByteArray());
        req.flush();

        MetricsBatch batch = decoder.decode(out.toByteArray()).toBatch();

        assertThat(batch.series().getFirst().labels()).isEqualTo(Labels.of("__name__", "up", "job", "api"));
        assertThat(batch.series().getFirst().samples()).containsExactly(new Sample(1000, 1));
    }

    @Test
    void samplesInAnyFieldLayoutDecodeAlike() throws Exception {
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        CodedOutputStream series = CodedOutputStream.newInstance(ts);
        series.writeByteArray(1, label("__name__", "up"));
        series.writeByteArray(2, sample(1000, 1.5));
        // Timestamp before value, an unknown field, a negative timestamp, a value without timestamp.
        series.writeByteArray(2, rawSample(out -> {
            out.writeInt64(2, 2000);
            out.writeDouble(1, 2.5);
        }));
        series.writeByteArray(2, rawSample(out -> {
            out.writeDouble(1, 3.5);
            out.writeInt64(2, 3000);
            out.writeString(7, "from the future");
        }));
        series.writeByteArray(2, sample(-4000, 4.5));
        series.writeByteArray(2, rawSample(out -> out.writeDouble(1, 5.5)));
        series.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream req = CodedOutputStream.newInstance(out);
        req.writeByteArray(1, ts.toByteArray());
        req.flush();

        MetricsBatch batch = decoder.decode(out.toByteArray()).toBatch();

        assertThat(batch.series().getFirst().samples())
                .containsExactly(
                        new Sample(1000, 1.5),
                        new Sample(2000, 2.5),
                        new Sample(3000, 3.5),
                        new Sample(-4000, 4.5),
                        new Sample(0, 5.5));
    }

    @Test
    void refusesSamplesCutShortOrLongerThanTheirSeries() throws Exception {
        byte[] good = sample(1000, 1);
        // A sample whose timestamp varint never ends inside its declared length.
        byte[] unterminated = Arrays.copyOf(good, good.length);
        unterminated[unterminated.length - 1] |= (byte) 0x80;
        assertThatThrownBy(() -> decoder.decode(request(label("__name__", "up"), unterminated)))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("malformed protobuf");

        // A sample field that claims more bytes than its time series holds.
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        CodedOutputStream series = CodedOutputStream.newInstance(ts);
        series.writeByteArray(1, label("__name__", "up"));
        series.writeTag(2, 2);
        series.writeUInt32NoTag(200);
        series.writeRawBytes(good);
        series.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream req = CodedOutputStream.newInstance(out);
        req.writeByteArray(1, ts.toByteArray());
        req.writeByteArray(1, ts.toByteArray());
        req.flush();
        assertThatThrownBy(() -> decoder.decode(out.toByteArray()))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("malformed protobuf");
    }

    @Test
    void manySamplesGrowTheColumnsAndKeepTheirSeries() {
        List<WriteRequests.Series> list = new ArrayList<>();
        for (int s = 0; s < 300; s++) {
            List<double[]> samples = new ArrayList<>();
            for (int k = 0; k < s % 7; k++) {
                samples.add(new double[] {1000 + k, s * 10 + k});
            }
            list.add(new WriteRequests.Series(List.of("__name__", "m", "s", Integer.toString(s)), samples));
        }

        MetricsBatch batch = decoder.decode(WriteRequests.encode(list)).toBatch();

        assertThat(batch.series()).hasSize(300);
        for (int s = 0; s < 300; s++) {
            assertThat(batch.series().get(s).labels().get("s")).isEqualTo(Integer.toString(s));
            assertThat(batch.series().get(s).samples()).hasSize(s % 7);
            for (int k = 0; k < s % 7; k++) {
                assertThat(batch.series().get(s).samples().get(k)).isEqualTo(new Sample(1000 + k, s * 10 + k));
            }
        }
    }

    private static List<WriteRequests.Series> seriesOf(String tag, int count, int samplesEach) {
        List<WriteRequests.Series> list = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<double[]> samples = new ArrayList<>();
            for (int k = 0; k < samplesEach; k++) {
                samples.add(new double[] {1000 + k, s * 1000 + k + tag.length()});
            }
            list.add(new WriteRequests.Series(List.of("__name__", "m_" + tag, "s", Integer.toString(s)), samples));
        }
        return list;
    }

    private static void assertDecodedAs(MetricsBatch batch, List<WriteRequests.Series> sent) {
        assertThat(batch.series()).hasSize(sent.size());
        for (int s = 0; s < sent.size(); s++) {
            List<String> pairs = sent.get(s).labels();
            assertThat(batch.series().get(s).labels().get("__name__")).isEqualTo(pairs.get(1));
            assertThat(batch.series().get(s).labels().get("s")).isEqualTo(pairs.get(3));
            List<double[]> samples = sent.get(s).samples();
            assertThat(batch.series().get(s).samples()).hasSize(samples.size());
            for (int k = 0; k < samples.size(); k++) {
                assertThat(batch.series().get(s).samples().get(k))
                        .isEqualTo(new Sample((long) samples.get(k)[0], samples.get(k)[1]));
            }
        }
    }

    @Test
    void aThreadsNextBodyReusesItsBuffersWithoutMixingRequests() {
        List<WriteRequests.Series> big = seriesOf("big", 300, 9);
        List<WriteRequests.Series> small = seriesOf("s", 2, 1);
        // Larger than the buffers a thread keeps: decoded in buffers of its own, which are not kept.
        List<WriteRequests.Series> huge = seriesOf("huge", 2_000, 200);
        byte[] hugeRaw = WriteRequests.encode(huge);
        assertThat(hugeRaw.length).isGreaterThan(RemoteWriteBuffers.KEPT_BODY_BYTES);

        assertDecodedAs(
                decoder.decodeSnappy(WriteRequests.snappy(WriteRequests.encode(big)))
                        .toBatch(),
                big);
        assertDecodedAs(
                decoder.decodeSnappy(WriteRequests.snappy(WriteRequests.encode(small)))
                        .toBatch(),
                small);
        assertDecodedAs(decoder.decodeSnappy(WriteRequests.snappy(hugeRaw)).toBatch(), huge);
        assertDecodedAs(
                decoder.decodeSnappy(WriteRequests.snappy(WriteRequests.encode(small)))
                        .toBatch(),
                small);
        // A refused body in between leaves nothing behind for the next one.
        assertThatThrownBy(() -> decoder.decodeSnappy(WriteRequests.snappy(new byte[] {0x0a, 0x7f})))
                .isInstanceOf(RemoteWriteException.class);
        assertDecodedAs(
                decoder.decodeSnappy(WriteRequests.snappy(WriteRequests.encode(big)))
                        .toBatch(),
                big);
    }

    @Test
    void threadsDecodingAtOnceEachGetTheirOwnRequest() throws Exception {
        List<List<WriteRequests.Series>> sent =
                List.of(seriesOf("a", 50, 3), seriesOf("bb", 70, 2), seriesOf("ccc", 5, 40));
        List<byte[]> bodies = sent.stream()
                .map(s -> WriteRequests.snappy(WriteRequests.encode(s)))
                .toList();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        int which = (first + round) % 3;
                        assertDecodedAs(decoder.decodeSnappy(bodies.get(which)).toBatch(), sent.get(which));
                    }
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
    }

    private interface SampleWriter {
        void write(CodedOutputStream out) throws Exception;
    }

    private static byte[] rawSample(SampleWriter writer) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(b);
        writer.write(s);
        s.flush();
        return b.toByteArray();
    }

    private static byte[] request(byte[] label, byte[] sample) throws Exception {
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        CodedOutputStream series = CodedOutputStream.newInstance(ts);
        series.writeByteArray(1, label);
        series.writeByteArray(2, sample);
        series.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream req = CodedOutputStream.newInstance(out);
        req.writeByteArray(1, ts.toByteArray());
        req.flush();
        return out.toByteArray();
    }

    private static byte[] label(String name, String value) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream l = CodedOutputStream.newInstance(b);
        l.writeString(1, name);
        l.writeString(2, value);
        l.flush();
        return b.toByteArray();
    }

    private static byte[] sample(long t, double v) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(b);
        s.writeDouble(1, v);
        s.writeInt64(2, t);
        s.flush();
        return b.toByteArray();
    }

    @Test
    void decodesMetadataAndSkipsUnknownFields() throws Exception {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(meta);
        m.writeEnum(1, 1);
        m.writeString(2, "http_requests_total");
        m.writeString(4, "Requests served.");
        m.writeString(5, "");
        m.writeString(9, "a field from the future");
        m.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream req = CodedOutputStream.newInstance(out);
        req.writeByteArray(3, meta.toByteArray());
        req.writeInt64(15, 42);
        req.flush();

        MetricsBatch batch = decoder.decode(out.toByteArray()).toBatch();

        assertThat(batch.series()).isEmpty();
        assertThat(batch.metadata())
                .containsExactly(new MetricMetadata("http_requests_total", MetricType.COUNTER, "Requests served.", ""));
    }

    @Test
    void refusesDataThatIsNotSnappy() {
        assertThatThrownBy(() -> decoder.decodeSnappy("definitely not snappy at all".getBytes()))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("snappy")
                .extracting(e -> ((RemoteWriteException) e).status())
                .isEqualTo(400);
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() {
        RemoteWriteDecoder small = new RemoteWriteDecoder(new RemoteWriteLimits(1 << 20, 1024, 10, 10, 64, 256, 4096));
        byte[] bomb = WriteRequests.snappy(new byte[1 << 20]);
        assertThat(bomb.length).isLessThan(1 << 20);

        assertThatThrownBy(() -> small.decodeSnappy(bomb))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("decompresses to more than 1024 bytes");
    }

    @Test
    void refusesMalformedProtobuf() {
        byte[] truncated = WriteRequests.encode(
                List.of(new WriteRequests.Series(List.of("__name__", "up"), List.of(new double[] {1, 1}))));
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 3);

        assertThatThrownBy(() -> decoder.decodeSnappy(WriteRequests.snappy(cut)))
                .isInstanceOf(RemoteWriteException.class)
                .hasMessageContaining("malformed protobuf");
        assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .hasMessageContaining("malformed protobuf");
    }

    @Test
    void refusesTooManyLabelsAndOversizedNamesOrValues() {
        List<String> many = new ArrayList<>(List.of("__name__", "wide"));
        for (int i = 0; i < 65; i++) {
            many.add("l" + i);
            many.add("v");
        }
        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(
                        List.of(new WriteRequests.Series(many, List.of(new double[] {1, 1}))))))
                .hasMessageContaining("time series 0 has more than 64 labels");

        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(List.of(new WriteRequests.Series(
                        List.of("__name__", "up", "big", "x".repeat(5000)), List.of(new double[] {1, 1}))))))
                .hasMessageContaining("label value longer than 4096");

        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(List.of(new WriteRequests.Series(
                        List.of("__name__", "up", "n".repeat(300), "v"), List.of(new double[] {1, 1}))))))
                .hasMessageContaining("label name longer than 256");
    }

    @Test
    void refusesInvalidNamesDuplicatesAndMissingMetricName() {
        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(
                        List.of(new WriteRequests.Series(List.of("__name__", "up", "bad-name", "v"), List.of())))))
                .hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> decoder.decode(WriteRequests.encode(
                        List.of(new WriteRequests.Series(List.of("__name__", "up", "a", "1", "a", "2"), List.of())))))
                .hasMessageContaining("duplicate label name");
        assertThatThrownBy(() -> decoder.decode(
                        WriteRequests.encode(List.of(new WriteRequests.Series(List.of("job", "x"), List.of())))))
                .hasMessageContaining("no metric name");
    }

    @Test
    void refusesTooManySeriesOrSamplesPerRequest() {
        RemoteWriteDecoder small = new RemoteWriteDecoder(new RemoteWriteLimits(1 << 20, 1 << 20, 2, 3, 64, 256, 4096));
        List<WriteRequests.Series> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(new WriteRequests.Series(List.of("__name__", "s" + i), List.of(new double[] {1, 1})));
        }
        assertThatThrownBy(() -> small.decode(WriteRequests.encode(three)))
                .hasMessageContaining("more than 2 time series");

        List<double[]> four =
                List.of(new double[] {1, 1}, new double[] {2, 1}, new double[] {3, 1}, new double[] {4, 1});
        assertThatThrownBy(() -> small.decode(
                        WriteRequests.encode(List.of(new WriteRequests.Series(List.of("__name__", "s"), four)))))
                .hasMessageContaining("more than 3 samples");
    }

    @Test
    void refusesCompressedBodiesOverTheCap() {
        RemoteWriteDecoder small = new RemoteWriteDecoder(new RemoteWriteLimits(16, 1 << 20, 2, 3, 64, 256, 4096));
        assertThatThrownBy(() -> small.decodeSnappy(new byte[17]))
                .extracting(e -> ((RemoteWriteException) e).status())
                .isEqualTo(413);
    }
}
