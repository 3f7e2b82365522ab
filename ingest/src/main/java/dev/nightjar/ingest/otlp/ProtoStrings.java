package dev.nightjar.ingest.otlp;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protobuf string fields as Java strings, with short ones shared from a small cache of their bytes. Kept
 * apart from {@link ProtoWire} because the cache outlives a decode: one per {@link OtlpLogsDecoder}, shared
 * by all the threads that use it, while a wire reader is one decode's state.
 */
final class ProtoStrings {

    /** Strings up to this many bytes go through the cache: keys, levels, methods, routes, short values. */
    private static final int CACHED_BYTES = 48;

    private static final int CACHE_SIZE = 4096;

    /** An immutable cache entry; the table is shared by threads, and a lost race only costs a decode. */
    private record Cached(byte[] bytes, String value) {}

    private final Cached[] cache = new Cached[CACHE_SIZE];

    /** The {@code n} bytes at {@code at}, valid UTF-8 (protobuf's rule for proto3 strings) or give up. */
    String string(byte[] buf, int at, int n) {
        if (n == 0) {
            return "";
        }
        if (n > CACHED_BYTES) {
            return utf8(buf, at, n);
        }
        int h = 0;
        for (int i = at; i < at + n; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 12)) & (CACHE_SIZE - 1);
        Cached c = cache[slot];
        if (c != null && Arrays.equals(c.bytes, 0, c.bytes.length, buf, at, at + n)) {
            return c.value;
        }
        String s = utf8(buf, at, n);
        cache[slot] = new Cached(Arrays.copyOfRange(buf, at, at + n), s);
        return s;
    }

    private static String utf8(byte[] buf, int at, int n) {
        String s = new String(buf, at, n, StandardCharsets.UTF_8);
        // the JDK replaces malformed input; protobuf refuses it. Only non-ASCII input can be malformed,
        // and that shows as fewer characters than bytes or as U+FFFD (O(1) for a Latin-1 string).
        if ((s.length() != n || s.indexOf('\uFFFD') >= 0)
                && !UnsafeByteOperations.unsafeWrap(buf, at, n).isValidUtf8()) {
            throw ProtoWire.GIVE_UP;
        }
        return s;
    }
}
