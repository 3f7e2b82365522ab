package dev.nightjar.storage.tsdb;

/** Reads bits most-significant first; reading past the end fails rather than inventing zeros. */
final class BitReader {

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
