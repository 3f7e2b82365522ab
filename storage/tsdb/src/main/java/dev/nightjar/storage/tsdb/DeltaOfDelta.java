package dev.nightjar.storage.tsdb;

/**
 * Gorilla's variable-length delta-of-delta code: a regular scrape interval costs one bit per sample.
 * Buckets: 0 → "0", then 14, 17 and 20 signed bits behind 2-, 3- and 4-bit prefixes, else 64 bits.
 */
final class DeltaOfDelta {

    private DeltaOfDelta() {}

    static void write(BitWriter out, long dod) {
        if (dod == 0) {
            out.writeBit(false);
        } else if (fits(dod, 14)) {
            out.writeBits(0b10, 2);
            out.writeBits(dod, 14);
        } else if (fits(dod, 17)) {
            out.writeBits(0b110, 3);
            out.writeBits(dod, 17);
        } else if (fits(dod, 20)) {
            out.writeBits(0b1110, 4);
            out.writeBits(dod, 20);
        } else {
            out.writeBits(0b1111, 4);
            out.writeBits(dod, 64);
        }
    }

    /** How many bits {@link #write} spends on {@code dod}. */
    static int bits(long dod) {
        if (dod == 0) {
            return 1;
        } else if (fits(dod, 14)) {
            return 16;
        } else if (fits(dod, 17)) {
            return 20;
        } else if (fits(dod, 20)) {
            return 24;
        }
        return 68;
    }

    static long read(BitReader in) {
        if (!in.readBit()) {
            return 0;
        }
        if (!in.readBit()) {
            return signExtend(in.readBits(14), 14);
        }
        if (!in.readBit()) {
            return signExtend(in.readBits(17), 17);
        }
        if (!in.readBit()) {
            return signExtend(in.readBits(20), 20);
        }
        return in.readBits(64);
    }

    private static boolean fits(long value, int bits) {
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        return value >= min && value <= max;
    }

    private static long signExtend(long value, int bits) {
        return (value << (64 - bits)) >> (64 - bits);
    }
}
