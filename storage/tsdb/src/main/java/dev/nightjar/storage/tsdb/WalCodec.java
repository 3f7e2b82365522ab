package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Binary form of {@link WalRecord}s: a type byte, then varints, strings and raw doubles. */
final class WalCodec {

    private static final byte NEW_SERIES = 1;
    private static final byte SAMPLES = 2;
    private static final byte METADATA = 3;
    private static final byte MIN_VALID_TIME = 4;
    private static final int MAX_STRING = 1 << 20;
    private static final int MAX_COUNT = 1 << 26;

    private WalCodec() {}

    static byte[] encode(WalRecord record) {
        if (record instanceof WalRecord.Samples s) {
            return encodeSamples(s);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        switch (record) {
            case WalRecord.NewSeries s -> {
                out.write(NEW_SERIES);
                Varint.write(out, s.series().size());
                for (WalRecord.SeriesRef ref : s.series()) {
                    Varint.write(out, ref.id());
                    Varint.write(out, ref.labels().size());
                    for (int i = 0; i < ref.labels().size(); i++) {
                        writeString(out, ref.labels().name(i));
                        writeString(out, ref.labels().value(i));
                    }
                }
            }
            case WalRecord.Samples s -> {
                out.write(SAMPLES);
                Varint.write(out, s.size());
                long previous = 0;
                for (int i = 0; i < s.size(); i++) {
                    Varint.write(out, s.ids()[i]);
                    Varint.writeSigned(out, s.timestamps()[i] - previous);
                    previous = s.timestamps()[i];
                    long bits = Double.doubleToRawLongBits(s.values()[i]);
                    for (int b = 56; b >= 0; b -= 8) {
                        out.write((int) (bits >>> b));
                    }
                }
            }
            case WalRecord.Metadata m -> {
                out.write(METADATA);
                Varint.write(out, m.metadata().size());
                for (MetricMetadata md : m.metadata()) {
                    writeString(out, md.family());
                    out.write(md.type().ordinal());
                    writeString(out, md.help());
                    writeString(out, md.unit());
                }
            }
            case WalRecord.MinValidTime t -> {
                out.write(MIN_VALID_TIME);
                Varint.writeSigned(out, t.time());
            }
        }
        return out.toByteArray();
    }

    /**
     * Samples are most of what the WAL holds and are written on every append: encoded straight into an
     * array sized for the worst case (id and timestamp delta varints, 8 value bytes), with no stream in
     * between. Same bytes as the general path would write.
     */
    private static byte[] encodeSamples(WalRecord.Samples s) {
        int n = s.size();
        byte[] out = new byte[1 + 5 + n * (5 + 10 + 8)];
        out[0] = SAMPLES;
        int pos = putVarint(out, 1, n);
        int[] ids = s.ids();
        long[] ts = s.timestamps();
        double[] vs = s.values();
        long previous = 0;
        for (int i = 0; i < n; i++) {
            pos = putVarint(out, pos, ids[i] & 0xFFFFFFFFL);
            long delta = ts[i] - previous;
            previous = ts[i];
            pos = putVarint(out, pos, (delta << 1) ^ (delta >> 63));
            long bits = Double.doubleToRawLongBits(vs[i]);
            for (int b = 56; b >= 0; b -= 8) {
                out[pos++] = (byte) (bits >>> b);
            }
        }
        return java.util.Arrays.copyOf(out, pos);
    }

    private static int putVarint(byte[] out, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }

    /** Decodes one record; throws {@link CorruptChunkException} on anything malformed. */
    static WalRecord decode(ByteBuffer in) {
        byte type = in.get();
        WalRecord record = switch (type) {
            case NEW_SERIES -> {
                int n = Varint.readInt(in, MAX_COUNT);
                List<WalRecord.SeriesRef> refs = new ArrayList<>(Math.min(n, 4096));
                for (int i = 0; i < n; i++) {
                    int id = Varint.readInt(in, Integer.MAX_VALUE);
                    int labelCount = Varint.readInt(in, 1024);
                    Map<String, String> labels = new TreeMap<>();
                    for (int l = 0; l < labelCount; l++) {
                        labels.put(readString(in), readString(in));
                    }
                    refs.add(new WalRecord.SeriesRef(id, labelsOf(labels)));
                }
                yield new WalRecord.NewSeries(refs);
            }
            case SAMPLES -> {
                int n = Varint.readInt(in, MAX_COUNT);
                if (n > in.remaining()) {
                    throw new CorruptChunkException("sample count beyond record");
                }
                int[] ids = new int[n];
                long[] ts = new long[n];
                double[] vs = new double[n];
                long previous = 0;
                for (int i = 0; i < n; i++) {
                    ids[i] = Varint.readInt(in, Integer.MAX_VALUE);
                    previous += Varint.readSigned(in);
                    ts[i] = previous;
                    if (in.remaining() < 8) {
                        throw new CorruptChunkException("sample value cut off");
                    }
                    vs[i] = Double.longBitsToDouble(in.getLong());
                }
                yield new WalRecord.Samples(ids, ts, vs, n);
            }
            case METADATA -> {
                int n = Varint.readInt(in, MAX_COUNT);
                List<MetricMetadata> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String family = readString(in);
                    int typeIndex = in.get();
                    if (typeIndex < 0 || typeIndex >= MetricType.values().length) {
                        throw new CorruptChunkException("unknown metric type");
                    }
                    list.add(
                            new MetricMetadata(family, MetricType.values()[typeIndex], readString(in), readString(in)));
                }
                yield new WalRecord.Metadata(list);
            }
            case MIN_VALID_TIME -> new WalRecord.MinValidTime(Varint.readSigned(in));
            case WalSampleRuns.TYPE -> WalSampleRuns.decode(in, MAX_COUNT);
            case WalSampleRuns.RAW_TYPE -> WalSampleRuns.decodeRaw(in, MAX_COUNT);
            default -> throw new CorruptChunkException("unknown WAL record type " + type);
        };
        if (in.hasRemaining()) {
            throw new CorruptChunkException("trailing bytes in WAL record");
        }
        return record;
    }

    private static Labels labelsOf(Map<String, String> map) {
        try {
            return Labels.from(map);
        } catch (IllegalArgumentException e) {
            throw new CorruptChunkException("invalid labels in WAL: " + e.getMessage());
        }
    }

    static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Varint.write(out, bytes.length);
        out.writeBytes(bytes);
    }

    static String readString(ByteBuffer in) {
        int length = Varint.readInt(in, MAX_STRING);
        if (length > in.remaining()) {
            throw new CorruptChunkException("string beyond record");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
