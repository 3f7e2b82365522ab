package dev.nightjar.ingest.metrics;

import dev.nightjar.core.metrics.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded, validated series labels keyed by the exact protobuf bytes of their label fields. A sender
 * writes the same series in every request, so after the first request a series costs one hash of ~100
 * bytes instead of a string per label, sorting and validation; and the store receives the same
 * {@link Labels} instance each time, whose hash is already computed. Identical bytes decode to identical
 * labels, so a hit needs no re-validation. Bounded: when full it is cleared and refills from traffic.
 */
final class SeriesCache {
    static final int DEFAULT_ENTRIES = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    // Seeded per process, so a sender cannot pick label sets that all land in one hash bucket.
    private static final long SEED = new SecureRandom().nextLong();

    private final int maxEntries;
    private final ConcurrentHashMap<Key, Labels> entries = new ConcurrentHashMap<>();

    SeriesCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    Labels get(byte[] raw, int from, int to) {
        return entries.get(new Key(raw, from, to - from, hash(raw, from, to)));
    }

    void put(byte[] raw, int from, int to, Labels labels) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        byte[] copy = Arrays.copyOfRange(raw, from, to);
        entries.put(new Key(copy, 0, copy.length, hash(raw, from, to)), labels);
    }

    int size() {
        return entries.size();
    }

    private static int hash(byte[] raw, int from, int to) {
        long h = SEED ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = mix(h ^ (long) LONGS.get(raw, i));
        }
        for (; i < to; i++) {
            h = mix(h ^ raw[i]);
        }
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long h) {
        h *= 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }

    /** A slice of a byte array; lookups wrap the request body without copying, entries own a copy. */
    private record Key(byte[] bytes, int offset, int length, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && k.hash == hash
                    && Arrays.equals(bytes, offset, offset + length, k.bytes, k.offset, k.offset + k.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
