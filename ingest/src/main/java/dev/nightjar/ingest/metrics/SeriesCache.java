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
 * <p>Laid out for cache misses, which is what a lookup over tens of thousands of series mostly costs: an
 * open-addressing table of longs (the key's hash and where its bytes are), the labels in a parallel array,
 * and the key bytes one after another in one array in insertion order. A sender writes its series in the
 * same order in every request, so consecutive lookups compare neighbouring bytes, which the CPU has
 * prefetched; objects per entry (a record and its own byte array, as before) end up in hash order after
 * the first garbage collection, and comparing their bytes was a fifth of the remote_write request
 * path's CPU.
 *
 * <p>Lookups take no lock; the rare insertions are serialised. A table is only ever appended to or replaced
 * whole (when it grows or is cleared): an insertion writes the key bytes and the labels before it
 * publishes the slot with release semantics, so a reader that sees the slot sees both. Every hit is
 * confirmed by comparing the bytes.
 */
final class SeriesCache {
    static final int DEFAULT_ENTRIES = 1 << 16;
    // Key bytes a table may hold before it is cleared (a cache of huge label sets is not worth its memory).
    private static final int MAX_ARENA = 64 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    // Seeded per process, so a sender cannot pick label sets that all land in one run of slots.
    private static final long SEED = new SecureRandom().nextLong();

    private final int maxEntries;
    private volatile Table table;

    /**
     * Slots (at most half full, so every probe ends at an empty one): 0 when empty, else the key's hash in the
     * high 32 bits and 1 + the offset of its bytes in {@code arena} in the low 32. At that offset: the
     * length (4 bytes), then the bytes.
     */
    private record Table(long[] slots, Labels[] labels, byte[] arena, int[] used) {
        static Table empty(int slots, int arenaBytes) {
            return new Table(new long[slots], new Labels[slots], new byte[arenaBytes], new int[2]);
        }

        int size() {
            return used[1];
        }
    }

    SeriesCache(int maxEntries) {
        if (maxEntries < 1 || maxEntries > 1 << 28) {
            throw new IllegalArgumentException("series cache entries must be in [1, 2^28]: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.table = Table.empty(Integer.highestOneBit(maxEntries) << 2, 1 << 12);
    }

    Labels get(byte[] raw, int from, int to) {
        int hash = hash(raw, from, to);
        Table t = table;
        long[] slots = t.slots;
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long slot = (long) SLOTS.getAcquire(slots, i);
            if (slot == 0) {
                return null;
            }
            if ((int) (slot >>> 32) == hash && sameKey(t.arena, (int) slot - 1, raw, from, to)) {
                return t.labels[i];
            }
        }
    }

    private static boolean sameKey(byte[] arena, int at, byte[] raw, int from, int to) {
        int length = (arena[at] & 0xFF)
                | (arena[at + 1] & 0xFF) << 8
                | (arena[at + 2] & 0xFF) << 16
                | (arena[at + 3] & 0xFF) << 24;
        return length == to - from && Arrays.equals(arena, at + 4, at + 4 + length, raw, from, to);
    }

    synchronized void put(byte[] raw, int from, int to, Labels labels) {
        int length = to - from;
        if (length + 4 > MAX_ARENA) {
            return;
        }
        Table t = table;
        if (t.size() >= maxEntries || t.used[0] + 4 + length > MAX_ARENA) {
            t = Table.empty(t.slots.length, 1 << 12);
            table = t;
        }
        int hash = hash(raw, from, to);
        int mask = t.slots.length - 1;
        int i = hash & mask;
        for (long slot; (slot = t.slots[i]) != 0; i = (i + 1) & mask) {
            if ((int) (slot >>> 32) == hash && sameKey(t.arena, (int) slot - 1, raw, from, to)) {
                return;
            }
        }
        int at = t.used[0];
        if (at + 4 + length > t.arena.length) {
            // Grown into a new table that readers switch to at once; the old one stays valid for those in it.
            byte[] arena = Arrays.copyOf(t.arena, Math.min(MAX_ARENA, Math.max(2 * t.arena.length, at + 4 + length)));
            t = new Table(t.slots.clone(), t.labels.clone(), arena, t.used.clone());
            table = t;
        }
        byte[] arena = t.arena;
        arena[at] = (byte) length;
        arena[at + 1] = (byte) (length >>> 8);
        arena[at + 2] = (byte) (length >>> 16);
        arena[at + 3] = (byte) (length >>> 24);
        System.arraycopy(raw, from, arena, at + 4, length);
        t.used[0] = at + 4 + length;
        t.used[1]++;
        t.labels[i] = labels;
        SLOTS.setRelease(t.slots, i, ((long) hash << 32) | (at + 1L));
    }

    synchronized int size() {
        return table.size();
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
