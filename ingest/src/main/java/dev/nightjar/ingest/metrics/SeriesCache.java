package dev.nightjar.ingest.metrics;

import dev.nightjar.core.metrics.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Decoded, validated series labels keyed by the exact protobuf bytes of their label fields. A sender
 * writes the same series in every request, so after the first request a series costs one hash of ~100
 * bytes instead of a string per label, sorting and validation; and the store receives the same
 * {@link Labels} instance each time, whose hash is already computed. Identical bytes decode to identical
 * labels, so a hit needs no re-validation. Bounded: when full it is cleared and refills from traffic.
 *
 * <p>An open-addressing table of immutable entries rather than a {@code ConcurrentHashMap}: a lookup runs
 * for every series of every request over tens of thousands of series, so it is mostly cache misses, and
 * the table reaches the key bytes in one hop fewer (slot, entry, bytes; the map has slot, node, key,
 * bytes). Lookups take no lock; the rare insertions are serialised. A reader racing an insertion or a
 * clear sees the entry or not, never a torn one (entries are immutable and published with release
 * semantics), and every hit is confirmed by comparing the bytes.
 */
final class SeriesCache {
    static final int DEFAULT_ENTRIES = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);
    // Seeded per process, so a sender cannot pick label sets that all land in one run of slots.
    private static final long SEED = new SecureRandom().nextLong();

    private final int maxEntries;
    // At most half full, so every probe ends at an empty slot. Replaced whole when cleared.
    private volatile Entry[] table;
    private int size; // guarded by this

    private record Entry(byte[] key, int hash, Labels labels) {}

    SeriesCache(int maxEntries) {
        if (maxEntries < 1 || maxEntries > 1 << 28) {
            throw new IllegalArgumentException("series cache entries must be in [1, 2^28]: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.table = new Entry[Integer.highestOneBit(maxEntries) << 2];
    }

    Labels get(byte[] raw, int from, int to) {
        int hash = hash(raw, from, to);
        Entry[] slots = table;
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Entry e = (Entry) SLOTS.getAcquire(slots, i);
            if (e == null) {
                return null;
            }
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, raw, from, to)) {
                return e.labels;
            }
        }
    }

    synchronized void put(byte[] raw, int from, int to, Labels labels) {
        if (size >= maxEntries) {
            table = new Entry[table.length];
            size = 0;
        }
        int hash = hash(raw, from, to);
        Entry[] slots = table;
        int mask = slots.length - 1;
        int i = hash & mask;
        for (Entry e; (e = slots[i]) != null; i = (i + 1) & mask) {
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, raw, from, to)) {
                return;
            }
        }
        SLOTS.setRelease(slots, i, new Entry(Arrays.copyOfRange(raw, from, to), hash, labels));
        size++;
    }

    synchronized int size() {
        return size;
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
}
