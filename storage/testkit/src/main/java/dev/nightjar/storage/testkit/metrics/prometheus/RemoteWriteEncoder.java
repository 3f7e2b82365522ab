package dev.nightjar.storage.testkit.metrics.prometheus;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes a Prometheus remote-write request (protobuf {@code WriteRequest}) wrapped in the snappy
 * block format that the receiver expects. The snappy stream uses literal blocks only: valid snappy
 * that any decoder accepts, without needing a compressor for a test peer.
 */
public final class RemoteWriteEncoder {

    private RemoteWriteEncoder() {}

    public static byte[] encode(List<SeriesSamples> series) {
        return snappyLiteral(protobuf(series));
    }

    /** The {@code WriteRequest} itself, uncompressed (for a caller with a real snappy compressor). */
    public static byte[] protobuf(List<SeriesSamples> series) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        for (SeriesSamples s : series) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            Labels labels = s.labels();
            for (int i = 0; i < labels.size(); i++) {
                ByteArrayOutputStream label = new ByteArrayOutputStream();
                field(label, 1, labels.name(i).getBytes(StandardCharsets.UTF_8));
                field(label, 2, labels.value(i).getBytes(StandardCharsets.UTF_8));
                field(ts, 1, label.toByteArray());
            }
            for (Sample sample : s.samples()) {
                ByteArrayOutputStream encoded = new ByteArrayOutputStream();
                encoded.write(0x09); // field 1, fixed64
                long bits = Double.doubleToRawLongBits(sample.value());
                for (int b = 0; b < 8; b++) {
                    encoded.write((int) (bits >>> (8 * b)));
                }
                encoded.write(0x10); // field 2, varint
                varint(encoded, sample.timestampMs());
                field(ts, 2, encoded.toByteArray());
            }
            field(request, 1, ts.toByteArray());
        }
        return request.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
        varint(out, (long) number << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static byte[] snappyLiteral(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 60000 * 5 + 16);
        varint(out, data.length);
        int pos = 0;
        while (pos < data.length) {
            int n = Math.min(65536, data.length - pos);
            if (n <= 60) {
                out.write((n - 1) << 2);
            } else if (n <= 256) {
                out.write(60 << 2);
                out.write(n - 1);
            } else {
                out.write(61 << 2);
                out.write((n - 1) & 0xFF);
                out.write((n - 1) >>> 8);
            }
            out.write(data, pos, n);
            pos += n;
        }
        return out.toByteArray();
    }
}
