package dev.nightjar.ingest.otlp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Gzip decompression that stops at a cap instead of trusting the sender: a small body can expand to
 * gigabytes (a decompression bomb), so output is counted as it is inflated, never sized from headers alone.
 */
final class Decompression {
    /**
     * The gzip trailer's size field is only a hint for the first array (it is the sender's claim and the last
     * member's only): it is believed up to this many times the compressed size, so a lying trailer costs at
     * most that much memory before the cap stops the body. OTLP protobuf compresses 3–10×.
     */
    private static final int MAX_HINT_RATIO = 16;

    private Decompression() {}

    static byte[] gunzip(byte[] compressed, int maxBytes) throws IOException, BodyTooLargeException {
        // Inflated straight into the result array (no 64 KiB staging copy, no ByteArrayOutputStream copy):
        // with an honest trailer the array is the exact size and is returned as it is.
        byte[] out = new byte[initialSize(compressed, maxBytes)];
        int total = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            while (true) {
                if (total == out.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    if (total >= maxBytes) {
                        throw new BodyTooLargeException(
                                "decompressed body exceeds the limit of " + maxBytes + " bytes");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(maxBytes, Math.max(64L, out.length * 2L)));
                    out[total++] = (byte) next;
                    continue;
                }
                int n = in.read(out, total, out.length - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        }
        return total == out.length ? out : Arrays.copyOf(out, total);
    }

    private static int initialSize(byte[] compressed, int maxBytes) {
        long claimed = 0;
        int n = compressed.length;
        if (n >= 18) { // header (10) + trailer (8): anything shorter fails in GZIPInputStream anyway
            claimed = (compressed[n - 4] & 0xFFL)
                    | (compressed[n - 3] & 0xFFL) << 8
                    | (compressed[n - 2] & 0xFFL) << 16
                    | (compressed[n - 1] & 0xFFL) << 24;
        }
        long hint = Math.min(claimed, (long) MAX_HINT_RATIO * n + 64);
        return (int) Math.max(0, Math.min(maxBytes, Math.max(hint, 64)));
    }
}
