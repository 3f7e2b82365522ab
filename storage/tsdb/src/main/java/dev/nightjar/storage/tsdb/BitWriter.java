package dev.nightjar.storage.tsdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends bits most-significant first into a growing byte array. Bits gather in a 64-bit word that is
 * stored whole when full: block cuts and compaction write every sample's bits through here, and a
 * byte-at-a-time loop was a visible share of their time.
 */
final class BitWriter {

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    // Full words stored so far end at bytes[words * 8); the pending bits are the low accBits of acc.
    private int words;
    private long acc;
    private int accBits;

    BitWriter(int initialBytes) {
        bytes = new byte[Math.max(8, (initialBytes + 7) & ~7)];
    }

    void writeBit(boolean bit) {
        writeBits(bit ? 1 : 0, 1);
    }

    /** Writes the low {@code count} bits of {@code value}, 0 ≤ count ≤ 64. */
    void writeBits(long value, int count) {
        if (count == 0) {
            return;
        }
        if (count < 64) {
            value &= (1L << count) - 1;
        }
        int free = 64 - accBits;
        if (count < free) {
            acc = (acc << count) | value;
            accBits += count;
            return;
        }
        // The word fills up: its last `free` bits are the top of value, the rest (< 64 bits) stays pending.
        int rest = count - free;
        long full = free == 64 ? value : (acc << free) | (value >>> rest);
        store(full);
        acc = rest == 0 ? 0 : value & ((1L << rest) - 1);
        accBits = rest;
    }

    private void store(long word) {
        int at = words * 8;
        if (at + 8 > bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        BIG_ENDIAN_LONG.set(bytes, at, word);
        words++;
    }

    long bitCount() {
        return words * 64L + accBits;
    }

    int byteCount() {
        return (int) ((bitCount() + 7) >>> 3);
    }

    /** Copies the bits written so far (the last byte padded with zero bits) to {@code out[at...]}. */
    void copyTo(byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, words * 8);
        long pending = accBits == 0 ? 0 : acc << (64 - accBits);
        int tail = (accBits + 7) >>> 3;
        for (int i = 0; i < tail; i++) {
            out[at + words * 8 + i] = (byte) (pending >>> (56 - 8 * i));
        }
    }

    byte[] toByteArray() {
        byte[] out = new byte[byteCount()];
        copyTo(out, 0);
        return out;
    }
}
