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

    /**
     * Writes the body (everything after the chunk header) for {@code n ≥ 1} samples. Two scratch arrays
     * serve every stage, and the signed/unsigned sizes are computed without copies: block cuts and
     * compaction run this for every series of every block.
     */
    static void write(BitWriter out, long[] ts, long[] ints, int n) {
        int m = Math.max(0, n - 1);
        CodecScratch scratch = CodecScratch.get();
        long[] work = scratch.longs(CodecScratch.PACKED_WORK, m);
        long previousDelta = 0;
        long any = 0;
        for (int i = 1; i < n; i++) {
            long delta = ts[i] - ts[i - 1];
            work[i - 1] = zigzag(delta - previousDelta);
            any |= work[i - 1];
            previousDelta = delta;
        }
        boolean regular = any == 0;
        out.writeBit(regular);
        if (!regular) {
            packGroups(out, work, m);
        }

        writeVar(out, zigzag(ints[0]));
        if (n < 2) {
            return;
        }
        long gcd = 0;
        long previous = 0;
        for (int i = 1; i < n; i++) {
            long delta = ints[i] - ints[i - 1];
            work[i - 1] = delta;
            // Once 1, always 1; and a repeated delta (a steady rate, a flat gauge) cannot change it.
            if (gcd != 1 && (i == 1 || delta != previous)) {
                gcd = gcd(gcd, Math.abs(delta));
            }
            previous = delta;
        }
        if (gcd == 0) {
            gcd = 1;
        }
        long[] byDod = scratch.longs(CodecScratch.PACKED_DOD, m);
        long before = 0;
        // Divisions are slow and deltas repeat: the quotient of the previous delta is reused.
        long dividend = 0;
        long quotient = 0;
        for (int i = 0; i < m; i++) {
            long byDelta;
            if (gcd == 1) {
                byDelta = work[i];
            } else if (i > 0 && work[i] == dividend) {
                byDelta = quotient;
            } else {
                dividend = work[i];
                quotient = dividend / gcd;
                byDelta = quotient;
            }
            work[i] = byDelta;
            byDod[i] = i == 0 ? byDelta : byDelta - before;
            before = byDelta;
        }
        boolean dod = packedSize(byDod, m) < packedSize(work, m);
        long[] residuals = dod ? byDod : work;
        boolean unsigned = isUnsigned(residuals, m);
        writeVar(out, gcd);
        out.writeBit(dod);
        out.writeBit(unsigned);
        if (!unsigned) {
            for (int i = 0; i < m; i++) {
                residuals[i] = zigzag(residuals[i]);
            }
        }
        packGroups(out, residuals, m);
    }

    static void read(BitReader in, long firstTs, int n, long[] ts, long[] ints) {
        read(in, firstTs, n, ts, ints, 0);
    }

    /** As {@link #read(BitReader, long, int, long[], long[])}, into {@code ts[at...]} and {@code ints[at...]}. */
    static void read(BitReader in, long firstTs, int n, long[] ts, long[] ints, int at) {
        CodecScratch scratch = CodecScratch.get();
        ts[at] = firstTs;
        if (in.readBit()) {
            // No residuals written: all were zero, so every delta is zero too.
            for (int i = 1; i < n; i++) {
                ts[at + i] = firstTs;
            }
        } else {
            long[] tsResiduals = unpackGroups(in, n - 1, scratch);
            long delta = 0;
            for (int i = 1; i < n; i++) {
                delta += unzigzag(tsResiduals[i - 1]);
                ts[at + i] = ts[at + i - 1] + delta;
            }
        }
        ints[at] = unzigzag(readVar(in));
        if (n < 2) {
            return;
        }
        long gcd = readVar(in);
        boolean dod = in.readBit();
        boolean unsigned = in.readBit();
        long[] residuals = unpackGroups(in, n - 1, scratch);
        long d = 0;
        for (int i = 1; i < n; i++) {
            long r = unsigned ? residuals[i - 1] : unzigzag(residuals[i - 1]);
            d = dod && i > 1 ? d + r : r;
            ints[at + i] = ints[at + i - 1] + d * gcd;
        }
    }

    private static boolean isUnsigned(long[] values, int n) {
        long or = 0;
        for (int i = 0; i < n; i++) {
            or |= values[i];
        }
        return or >= 0;
    }

    /** Bits {@link #packGroups} spends on the values as written: as they are, or zig-zag when any is negative. */
    private static long packedSize(long[] values, int n) {
        boolean zigzag = !isUnsigned(values, n);
        long bits = 0;
        int previous = -1;
        for (int from = 0; from < n; from += GROUP) {
            int to = Math.min(n, from + GROUP);
            long or = 0;
            for (int i = from; i < to; i++) {
                or |= zigzag ? zigzag(values[i]) : values[i];
            }
            int width = 64 - Long.numberOfLeadingZeros(or);
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
    private static void packGroups(BitWriter out, long[] values, int n) {
        int previous = -1;
        for (int from = 0; from < n; from += GROUP) {
            int to = Math.min(n, from + GROUP);
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

    /** Reads {@code count} values into the thread's {@link CodecScratch#PACKED_WORK} array. */
    private static long[] unpackGroups(BitReader in, int count, CodecScratch scratch) {
        long[] out = scratch.longs(CodecScratch.PACKED_WORK, Math.max(0, count));
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
