package dev.nightjar.server;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.xerial.snappy.Snappy;

/** Builds remote_write 1.0 bodies (snappy + protobuf WriteRequest) exactly as Prometheus sends them. */
final class RemoteWriteBodies {
    /** A series: alternating label names and values, and samples as (millis, value). */
    record Series(List<String> labels, long[] timestamps, double[] values) {}

    private RemoteWriteBodies() {}

    static byte[] snappy(List<Series> series) {
        try {
            return Snappy.compress(protobuf(series));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] protobuf(List<Series> series) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream request = CodedOutputStream.newInstance(out);
            for (Series s : series) {
                request.writeByteArray(1, timeSeries(s));
            }
            request.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] timeSeries(Series s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream ts = CodedOutputStream.newInstance(out);
        for (int i = 0; i < s.labels().size(); i += 2) {
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            CodedOutputStream label = CodedOutputStream.newInstance(l);
            label.writeString(1, s.labels().get(i));
            label.writeString(2, s.labels().get(i + 1));
            label.flush();
            ts.writeByteArray(1, l.toByteArray());
        }
        for (int i = 0; i < s.timestamps().length; i++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            CodedOutputStream sample = CodedOutputStream.newInstance(b);
            sample.writeDouble(1, s.values()[i]);
            sample.writeInt64(2, s.timestamps()[i]);
            sample.flush();
            ts.writeByteArray(2, b.toByteArray());
        }
        ts.flush();
        return out.toByteArray();
    }
}
