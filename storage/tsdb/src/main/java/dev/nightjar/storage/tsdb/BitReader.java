package dev.nightjar.storage.tsdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reads bits most-significant first; reading past the end fails rather than inventing zeros. */
final class BitReader {

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private final int offset;
    private final long limitBits;
    private long position;

    BitReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.limitBits = (long) length * 8;
    }

    boolean readBit() {
        return readBits(1) == 1;
    }

    long readBits(int count) {
        if (position + count > limitBits) {
            throw new CorruptChunkException("chunk ends early");
        }
        if (count == 0) {
            return 0;
        }
        int index = offset + (int) (position >>> 3);
        int shift = (int) (position & 7);
        // Decoding is the hot loop of every query: one 8-byte load serves any read of up to 57 bits.
        if (count <= 57 && index + 8 <= bytes.length) {
            long word = (long) BIG_ENDIAN_LONG.get(bytes, index);
            position += count;
            return (word << shift) >>> (64 - count);
        }
        long value = 0;
        while (count > 0) {
            int b = bytes[offset + (int) (position >>> 3)] & 0xff;
            int available = 8 - (int) (position & 7);
            int take = Math.min(available, count);
            int bits = (b >>> (available - take)) & ((1 << take) - 1);
            value = (value << take) | bits;
            count -= take;
            position += take;
        }
        return value;
    }
}
