package dev.nightjar.sensors.export;

/**
 * The series the exporter has sent, as 64-bit hashes in an open-addressing table: a bounded set of
 * primitive longs (a boxed {@code HashSet<Long>} would take ~70 bytes per series of a 48 MB heap).
 * Full means full: a series beyond the capacity is simply not remembered.
 */
final class SeriesSeen {

    private static final long EMPTY = 0;

    private final long[] slots;
    private final int mask;
    private final int limit;
    private int size;

    /** {@code capacity}: the most series remembered (the table has twice as many slots). */
    SeriesSeen(int capacity) {
        int length = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1) << 1;
        this.slots = new long[length];
        this.mask = length - 1;
        this.limit = capacity;
    }

    /**
     * Remembers {@code hash}; true when it was not known before and is now, false when it was
     * known or the set is full.
     */
    boolean add(long hash) {
        long h = hash == EMPTY ? 1 : hash;
        int i = slot(h);
        if (slots[i] == h || size >= limit) {
            return false;
        }
        slots[i] = h;
        size++;
        return true;
    }

    boolean contains(long hash) {
        long h = hash == EMPTY ? 1 : hash;
        return slots[slot(h)] == h;
    }

    /** Where {@code h} is, or the empty slot where it would go (the table is never full). */
    private int slot(long h) {
        int i = (int) (mix(h) & mask);
        while (slots[i] != EMPTY && slots[i] != h) {
            i = (i + 1) & mask;
        }
        return i;
    }

    int size() {
        return size;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
