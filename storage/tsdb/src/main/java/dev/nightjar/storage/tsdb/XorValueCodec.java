package dev.nightjar.storage.tsdb;

/**
 * Gorilla's XOR float compression: a repeated value costs one bit, a value whose changed bits fit the
 * previous window costs two bits plus the window.
 */
final class XorValueCodec {

    private long previous;
    private int leading = -1;
    private int trailing;

    void writeFirst(BitWriter out, double value) {
        previous = Double.doubleToRawLongBits(value);
        out.writeBits(previous, 64);
    }

    void write(BitWriter out, double value) {
        long bits = Double.doubleToRawLongBits(value);
        long xor = bits ^ previous;
        previous = bits;
        if (xor == 0) {
            out.writeBit(false);
            return;
        }
        out.writeBit(true);
        int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int trail = Long.numberOfTrailingZeros(xor);
        if (leading >= 0 && lead >= leading && trail >= trailing) {
            out.writeBit(false);
            out.writeBits(xor >>> trailing, 64 - leading - trailing);
            return;
        }
        leading = lead;
        trailing = trail;
        int significant = 64 - lead - trail;
        out.writeBit(true);
        out.writeBits(lead, 5);
        // 64 significant bits do not fit in 6 bits; 0 never occurs otherwise, so it stands for 64.
        out.writeBits(significant == 64 ? 0 : significant, 6);
        out.writeBits(xor >>> trail, significant);
    }

    double readFirst(BitReader in) {
        previous = in.readBits(64);
        return Double.longBitsToDouble(previous);
    }

    double read(BitReader in) {
        if (!in.readBit()) {
            return Double.longBitsToDouble(previous);
        }
        if (in.readBit()) {
            leading = (int) in.readBits(5);
            int significant = (int) in.readBits(6);
            if (significant == 0) {
                significant = 64;
            }
            trailing = 64 - leading - significant;
            if (trailing < 0) {
                throw new CorruptChunkException("bad XOR window");
            }
        } else if (leading < 0) {
            throw new CorruptChunkException("XOR window reused before it was set");
        }
        int significant = 64 - leading - trailing;
        long xor = in.readBits(significant) << trailing;
        previous ^= xor;
        return Double.longBitsToDouble(previous);
    }
}
