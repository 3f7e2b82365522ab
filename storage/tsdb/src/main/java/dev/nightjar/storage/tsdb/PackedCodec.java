package dev.nightjar.storage.tsdb;

/**
 * Block-chunk encoding for series whose values are exact decimals. Timestamps are coded as
 * delta-of-delta and values as integer deltas (or delta-of-delta, whichever is smaller) divided by
 * their greatest common divisor; both streams are bit-packed in groups of {@link #GROUP} with one
 * width per group. A regular scrape interval then costs under half a bit per sample, a counter about
 * the entropy of its increments, and byte-aligned gauges (memory in pages) lose their zero bits.
 */
final class PackedCodec {

    static final int GROUP = 16;

    private PackedCodec() {}

    /** Writes the body (everything after the chunk header) for {@code n ≥ 1} samples. */
    static void write(BitWriter out, long[] ts, long[] ints, int n) {
        long[] tsResiduals = new long[Math.max(0, n - 1)];
        long previousDelta = 0;
        for (int i = 1; i < n; i++) {
            long delta = ts[i] - ts[i - 1];
            tsResiduals[i - 1] = zigzag(delta - previousDelta);
            previousDelta = delta;
        }
        boolean regular = width(tsResiduals, 0, tsResiduals.length) == 0;
        out.writeBit(regular);
        if (!regular) {
            packGroups(out, tsResiduals);
        }

        writeVar(out, zigzag(ints[0]));
        if (n < 2) {
            return;
        }
        long[] deltas = new long[n - 1];
        long gcd = 0;
        for (int i = 1; i < n; i++) {
            deltas[i - 1] = ints[i] - ints[i - 1];
            gcd = gcd(gcd, Math.abs(deltas[i - 1]));
        }
        if (gcd == 0) {
            gcd = 1;
        }
        long[] byDelta = new long[n - 1];
        long[] byDod = new long[n - 1];
        for (int i = 0; i < n - 1; i++) {
            byDelta[i] = deltas[i] / gcd;
            byDod[i] = i == 0 ? byDelta[0] : byDelta[i] - byDelta[i - 1];
        }
        boolean dod = packedSize(signedForm(byDod)) < packedSize(signedForm(byDelta));
        long[] residuals = dod ? byDod : byDelta;
        boolean unsigned = true;
        for (long r : residuals) {
            if (r < 0) {
                unsigned = false;
                break;
            }
        }
        writeVar(out, gcd);
        out.writeBit(dod);
        out.writeBit(unsigned);
        if (!unsigned) {
            for (int i = 0; i < residuals.length; i++) {
                residuals[i] = zigzag(residuals[i]);
            }
        }
        packGroups(out, residuals);
    }

    static void read(BitReader in, long firstTs, int n, long[] ts, long[] ints) {
        long[] tsResiduals = in.readBit() ? new long[Math.max(0, n - 1)] : unpackGroups(in, n - 1);
        ts[0] = firstTs;
        long delta = 0;
        for (int i = 1; i < n; i++) {
            delta += unzigzag(tsResiduals[i - 1]);
            ts[i] = ts[i - 1] + delta;
        }
        ints[0] = unzigzag(readVar(in));
        if (n < 2) {
            return;
        }
        long gcd = readVar(in);
        boolean dod = in.readBit();
        boolean unsigned = in.readBit();
        long[] residuals = unpackGroups(in, n - 1);
        long d = 0;
        for (int i = 1; i < n; i++) {
            long r = unsigned ? residuals[i - 1] : unzigzag(residuals[i - 1]);
            d = dod && i > 1 ? d + r : r;
            ints[i] = ints[i - 1] + d * gcd;
        }
    }

    private static long[] signedForm(long[] values) {
        long[] out = new long[values.length];
        boolean unsigned = true;
        for (long v : values) {
            unsigned &= v >= 0;
        }
        for (int i = 0; i < values.length; i++) {
            out[i] = unsigned ? values[i] : zigzag(values[i]);
        }
        return out;
    }

    private static long packedSize(long[] values) {
        long bits = 0;
        int previous = -1;
        for (int from = 0; from < values.length; from += GROUP) {
            int to = Math.min(values.length, from + GROUP);
            int width = width(values, from, to);
            bits += (width == previous ? 1 : 8) + (long) width * (to - from);
            previous = width;
        }
        return bits;
    }

    /** A number as its bit width (7 bits) and that many bits. */
    private static void writeVar(BitWriter out, long v) {
        int width = 64 - Long.numberOfLeadingZeros(v);
        out.writeBits(width, 7);
        out.writeBits(v, width);
    }

    private static long readVar(BitReader in) {
        int width = (int) in.readBits(7);
        if (width > 64) {
            throw new CorruptChunkException("bad packed width " + width);
        }
        return in.readBits(width);
    }

    private static int width(long[] values, int from, int to) {
        long or = 0;
        for (int i = from; i < to; i++) {
            or |= values[i];
        }
        return 64 - Long.numberOfLeadingZeros(or);
    }

    /** Groups of {@link #GROUP}; each starts with "same width as before" (1 bit) or a new width. */
    private static void packGroups(BitWriter out, long[] values) {
        int previous = -1;
        for (int from = 0; from < values.length; from += GROUP) {
            int to = Math.min(values.length, from + GROUP);
            int width = width(values, from, to);
            if (width == previous) {
                out.writeBit(true);
            } else {
                out.writeBit(false);
                out.writeBits(width, 7);
                previous = width;
            }
            for (int i = from; i < to; i++) {
                out.writeBits(values[i], width);
            }
        }
    }

    private static long[] unpackGroups(BitReader in, int count) {
        long[] out = new long[Math.max(0, count)];
        int width = -1;
        for (int from = 0; from < count; from += GROUP) {
            int to = Math.min(count, from + GROUP);
            if (!in.readBit()) {
                width = (int) in.readBits(7);
            } else if (width < 0) {
                throw new CorruptChunkException("packed width reused before it was set");
            }
            if (width > 64) {
                throw new CorruptChunkException("bad packed width " + width);
            }
            for (int i = from; i < to; i++) {
                out[i] = in.readBits(width);
            }
        }
        return out;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
