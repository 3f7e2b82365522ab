package dev.nightjar.storage.tsdb;

import java.util.Arrays;

/** Appends bits most-significant first into a growing byte array. */
final class BitWriter {

    private byte[] bytes;
    private long bitCount;

    BitWriter(int initialBytes) {
        bytes = new byte[Math.max(8, initialBytes)];
    }

    void writeBit(boolean bit) {
        writeBits(bit ? 1 : 0, 1);
    }

    /** Writes the low {@code count} bits of {@code value}, 0 ≤ count ≤ 64. */
    void writeBits(long value, int count) {
        ensure(bitCount + count);
        while (count > 0) {
            int byteIndex = (int) (bitCount >>> 3);
            int free = 8 - (int) (bitCount & 7);
            int take = Math.min(free, count);
            int chunk = (int) ((value >>> (count - take)) & ((1L << take) - 1));
            bytes[byteIndex] |= (byte) (chunk << (free - take));
            count -= take;
            bitCount += take;
        }
    }

    private void ensure(long bits) {
        long needed = (bits + 7) >>> 3;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.max(needed, bytes.length * 2L));
        }
    }

    long bitCount() {
        return bitCount;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) ((bitCount + 7) >>> 3));
    }
}
