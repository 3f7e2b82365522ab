package dev.nightjar.ingest.metrics;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.xerial.snappy.Snappy;

/** Encodes remote_write requests the way Prometheus does, for tests. */
final class WriteRequests {
    record Series(List<String> labels, List<double[]> samples) {}

    private WriteRequests() {}

    static byte[] encode(List<Series> series) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream request = CodedOutputStream.newInstance(out);
            for (Series s : series) {
                request.writeByteArray(1, series(s));
            }
            request.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] snappy(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] series(Series s) throws IOException {
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
        for (double[] sample : s.samples()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            CodedOutputStream enc = CodedOutputStream.newInstance(b);
            enc.writeDouble(1, sample[1]);
            enc.writeInt64(2, (long) sample[0]);
            enc.flush();
            ts.writeByteArray(2, b.toByteArray());
        }
        ts.flush();
        return out.toByteArray();
    }
}
