package dev.nightjar.ingest.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Gzip decompression that stops at a cap instead of trusting the sender: a small body can expand to
 * gigabytes (a decompression bomb), so output is streamed and counted, never sized from headers.
 */
final class Decompression {
    private Decompression() {}

    static byte[] gunzip(byte[] compressed, int maxBytes) throws IOException, BodyTooLargeException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, compressed.length * 4 + 64));
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new BodyTooLargeException("decompressed body exceeds the limit of " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
