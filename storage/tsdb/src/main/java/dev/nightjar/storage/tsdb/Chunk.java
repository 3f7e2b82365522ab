package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.SampleIterator;
import java.nio.ByteBuffer;

/**
 * An immutable compressed run of samples. Layout: encoding byte, sample count and first timestamp as
 * varints, then a bit stream of delta-of-delta timestamps and values. Values are either Gorilla XOR
 * floats ({@link #XOR}) or, when every value is a decimal with few digits, scaled integers coded as
 * delta-of-delta ({@link #DECIMAL}) — counters and integer gauges then cost a bit or two per sample.
 */
record Chunk(byte[] data, long minTime, long maxTime, int count) {

    static final byte XOR = 1;
    static final byte DECIMAL = 2;
    static final byte PACKED = 3;
    static final int MAX_DECIMAL_SCALE = 6;
    private static final double[] POWERS = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    static Chunk xor(long[] ts, double[] vs, int n) {
        BitWriter bits = new BitWriter(n * 2 + 16);
        XorValueCodec values = new XorValueCodec();
        writeTimestamps(bits, ts, n, i -> {
            if (i == 0) {
                values.writeFirst(bits, vs[0]);
            } else {
                values.write(bits, vs[i]);
            }
        });
        return assemble(XOR, ts, n, -1, bits);
    }

    /**
     * The smallest of the XOR, decimal and packed encodings (the latter two only where exact). Packed is
     * tried first: XOR and decimal share the delta-of-delta timestamp stream and spend at least 64 bits
     * on the first value and one on each later one, so when packed is smaller than that floor neither
     * can win and they are not encoded at all (block cuts and compaction spent most of their time here).
     */
    static Chunk best(long[] ts, double[] vs, int n) {
        long[] ints = CodecScratch.get().longs(CodecScratch.BEST_INTS, n);
        int scale = decimalScale(vs, n, ints);
        if (scale < 0) {
            return xor(ts, vs, n);
        }
        return bestOfExact(ts, vs, ints, n, scale, packed(ts, ints, n, scale));
    }

    /**
     * {@link #best} for values known to be {@code ints / 10^scale} at their smallest exact scale, given their
     * packed chunk: compaction joining packed chunks has all of these already.
     */
    static Chunk bestOfExact(long[] ts, double[] vs, long[] ints, int n, int scale, Chunk packed) {
        long timestampBits = timestampBits(ts, n);
        int header = 1 + Varint.size(n) + Varint.size((ts[0] << 1) ^ (ts[0] >> 63));
        if (belowSizeFloor(packed, header, timestampBits, n)) {
            return packed;
        }
        // The XOR and decimal encodings' exact sizes, counted without writing them: only the smallest of the
        // three is built (block cuts and compaction run this for every series of every block).
        int xorBytes = header + (int) ((timestampBits + xorValueBits(vs, n) + 7) >>> 3);
        int decimalBytes = header + 1 + (int) ((timestampBits + decimalValueBits(ints, n) + 7) >>> 3);
        if (packed.data.length < Math.min(xorBytes, decimalBytes)) {
            return packed;
        }
        return decimalBytes < xorBytes ? decimal(ts, ints, n, scale) : xor(ts, vs, n);
    }

    /**
     * Whether a packed chunk is smaller than anything XOR or decimal could write for the same samples:
     * they share the delta-of-delta timestamp stream and spend at least 64 bits on the first value and
     * one on each later one.
     */
    private static boolean belowSizeFloor(Chunk packed, int header, long timestampBits, int n) {
        return packed.data.length < header + (int) ((timestampBits + 64 + (n - 1) + 7) >>> 3);
    }

    /**
     * {@code packed} (the packed chunk of {@code ints / 10^scale}) when {@link #best} would return it without
     * counting the other encodings' sizes, else null; {@code scale} must be the smallest exact for every value. Compaction joins packed chunks of one scale with this: their
     * integers go from one packed chunk to the next without becoming doubles, and without the scale search
     * and the XOR and decimal size counts, whenever the packed chunk is below the others' size floor (as
     * {@code best} would find, byte for byte).
     */
    static Chunk packedIfBest(long[] ts, long[] ints, int n, int scale, Chunk packed) {
        int header = 1 + Varint.size(n) + Varint.size((ts[0] << 1) ^ (ts[0] >> 63));
        return belowSizeFloor(packed, header, timestampBits(ts, n), n) ? packed : null;
    }

    /** The decimal scale of a packed chunk, or -1 for the other encodings. */
    int packedScale() {
        if (data[0] != PACKED) {
            return -1;
        }
        ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1);
        Varint.read(in);
        Varint.read(in);
        if (!in.hasRemaining()) {
            throw new CorruptChunkException("chunk ends before its decimal scale");
        }
        int scale = in.get();
        if (scale < 0 || scale > MAX_DECIMAL_SCALE) {
            throw new CorruptChunkException("bad decimal scale");
        }
        return scale;
    }

    /**
     * Unpacks a packed chunk's timestamps and scaled integers into {@code ts[at...]} and {@code ints[at...]};
     * {@link #count()} entries.
     */
    void unpackInto(long[] ts, long[] ints, int at) {
        ByteBuffer in = ByteBuffer.wrap(data);
        if (in.get() != PACKED) {
            throw new IllegalStateException("not a packed chunk");
        }
        Varint.read(in);
        long firstTs = Varint.readSigned(in);
        in.get();
        PackedCodec.read(new BitReader(data, in.position(), data.length - in.position()), firstTs, count, ts, ints, at);
    }

    /** Bits {@link #writeTimestamps} spends on the timestamps after the first (which is in the header). */
    private static long timestampBits(long[] ts, int n) {
        long bits = 0;
        long previousDelta = 0;
        for (int i = 1; i < n; i++) {
            long delta = ts[i] - ts[i - 1];
            bits += DeltaOfDelta.bits(delta - previousDelta);
            previousDelta = delta;
        }
        return bits;
    }

    /** Bits {@link XorValueCodec} spends on the values, window for window as it writes them. */
    static long xorValueBits(double[] vs, int n) {
        long bits = 64;
        long previous = Double.doubleToRawLongBits(vs[0]);
        int leading = -1;
        int trailing = 0;
        for (int i = 1; i < n; i++) {
            long value = Double.doubleToRawLongBits(vs[i]);
            long xor = value ^ previous;
            previous = value;
            if (xor == 0) {
                bits += 1;
                continue;
            }
            int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
            int trail = Long.numberOfTrailingZeros(xor);
            if (leading >= 0 && lead >= leading && trail >= trailing) {
                bits += 2 + 64 - leading - trailing;
            } else {
                leading = lead;
                trailing = trail;
                bits += 2 + 5 + 6 + 64 - lead - trail;
            }
        }
        return bits;
    }

    /** Bits {@link #decimal} spends on the values: the first whole, then deltas of deltas. */
    static long decimalValueBits(long[] ints, int n) {
        long bits = 64;
        long previousDelta = 0;
        for (int i = 1; i < n; i++) {
            long delta = ints[i] - ints[i - 1];
            bits += DeltaOfDelta.bits(i == 1 ? delta : delta - previousDelta);
            previousDelta = delta;
        }
        return bits;
    }

    /** Values {@code ints / 10^scale} as bit-packed integer deltas divided by their GCD ({@link PackedCodec}). */
    static Chunk packed(long[] ts, long[] ints, int n, int scale) {
        BitWriter packedBits = new BitWriter(n + 32);
        PackedCodec.write(packedBits, ts, ints, n);
        return assemble(PACKED, ts, n, scale, packedBits);
    }

    /** Values {@code ints / 10^scale} as delta-of-delta integers. */
    static Chunk decimal(long[] ts, long[] ints, int n, int scale) {
        BitWriter bits = new BitWriter(n + 16);
        long[] state = new long[2];
        writeTimestamps(bits, ts, n, i -> {
            if (i == 0) {
                bits.writeBits(ints[0], 64);
            } else {
                long delta = ints[i] - ints[i - 1];
                DeltaOfDelta.write(bits, i == 1 ? delta : delta - state[0]);
                state[0] = delta;
            }
        });
        return assemble(DECIMAL, ts, n, scale, bits);
    }

    /** The value of {@code ints[i] / 10^scale} as a packed chunk of that scale decodes it. */
    static double scaled(long value, int scale) {
        return value / POWERS[scale];
    }

    /** The smallest power of ten that turns every value into an exact integer, or -1. */
    static int decimalScale(double[] vs, int n) {
        return decimalScale(vs, n, new long[n]);
    }

    /** As {@link #decimalScale(double[], int)}, leaving the scaled integers in {@code ints} when exact. */
    static int decimalScale(double[] vs, int n, long[] ints) {
        // Scale 0 first and without the division: most block chunks are counters or integer gauges, and an
        // integer below 2^52 is exact as a double, so comparing it with the value is the round-trip check.
        boolean integral = true;
        for (int i = 0; i < n && integral; i++) {
            double v = vs[i];
            if (!Double.isFinite(v) || Math.abs(v) >= 0x1p52 || v == 0 && 1 / v < 0) {
                return -1;
            }
            long rounded = Math.round(v);
            ints[i] = rounded;
            integral = rounded == v;
        }
        if (integral) {
            return 0;
        }
        for (int scale = 1; scale <= MAX_DECIMAL_SCALE; scale++) {
            boolean exact = true;
            for (int i = 0; i < n && exact; i++) {
                double v = vs[i];
                double scaled = v * POWERS[scale];
                if (!Double.isFinite(scaled) || Math.abs(scaled) >= 0x1p52 || v == 0 && 1 / v < 0) {
                    return -1;
                }
                long rounded = Math.round(scaled);
                ints[i] = rounded;
                exact = Double.doubleToRawLongBits(rounded / POWERS[scale]) == Double.doubleToRawLongBits(v);
            }
            if (exact) {
                return scale;
            }
        }
        return -1;
    }

    private interface ValueWriter {
        void write(int index);
    }

    private static void writeTimestamps(BitWriter bits, long[] ts, int n, ValueWriter values) {
        long previousDelta = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                long delta = ts[i] - ts[i - 1];
                DeltaOfDelta.write(bits, delta - previousDelta);
                previousDelta = delta;
            }
            values.write(i);
        }
    }

    private static Chunk assemble(byte encoding, long[] ts, int n, int scale, BitWriter bits) {
        if (n < 1) {
            throw new IllegalArgumentException("empty chunk");
        }
        // Sized exactly and filled in place: the chunk is the only copy of the bits.
        long first = (ts[0] << 1) ^ (ts[0] >> 63);
        int header = 1 + Varint.size(n) + Varint.size(first) + (encoding != XOR ? 1 : 0);
        byte[] out = new byte[header + bits.byteCount()];
        out[0] = encoding;
        int at = Varint.put(out, 1, n);
        at = Varint.put(out, at, first);
        if (encoding != XOR) {
            out[at++] = (byte) scale;
        }
        bits.copyTo(out, at);
        return new Chunk(out, ts[0], ts[n - 1], n);
    }

    /**
     * Appends the samples in {@code [mint, maxt]} to {@code out}, as iterating would. Packed chunks (what
     * blocks mostly hold) are unpacked in one pass straight into the buffer: compaction reads every
     * sample of its inputs this way.
     */
    void decodeInto(SampleBuffer out, long mint, long maxt) {
        if (data[0] != PACKED) {
            out.addRange(iterator(), mint, maxt);
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        in.get();
        Varint.read(in);
        long firstTs = Varint.readSigned(in);
        int scaleIndex = in.get();
        if (scaleIndex < 0 || scaleIndex > MAX_DECIMAL_SCALE) {
            throw new CorruptChunkException("bad decimal scale");
        }
        double scale = POWERS[scaleIndex];
        CodecScratch scratch = CodecScratch.get();
        long[] ts = scratch.longs(CodecScratch.DECODE_TS, count);
        long[] ints = scratch.longs(CodecScratch.DECODE_INTS, count);
        PackedCodec.read(new BitReader(data, in.position(), data.length - in.position()), firstTs, count, ts, ints);
        for (int i = 0; i < count; i++) {
            if (ts[i] > maxt) {
                return;
            }
            if (ts[i] >= mint) {
                out.add(ts[i], ints[i] / scale);
            }
        }
    }

    /** Parses a stored chunk's header; the bit stream is only read when iterated. */
    static Chunk parse(byte[] data, long maxTime) {
        ByteBuffer in = ByteBuffer.wrap(data);
        in.get();
        int count = Varint.readInt(in, 1 << 20);
        long first = Varint.readSigned(in);
        return new Chunk(data, first, maxTime, count);
    }

    SampleIterator iterator() {
        return new Decoder();
    }

    private final class Decoder implements SampleIterator {
        private final BitReader bits;
        private final byte encoding;
        private final XorValueCodec xor = new XorValueCodec();
        private final double scale;
        private int index = -1;
        private long t;
        private long delta;
        private long intValue;
        private long intDelta;
        private double v;
        private long[] packedTs;
        private long[] packedInts;

        Decoder() {
            ByteBuffer in = ByteBuffer.wrap(data);
            encoding = in.get();
            if (encoding != XOR && encoding != DECIMAL && encoding != PACKED) {
                throw new CorruptChunkException("unknown chunk encoding " + encoding);
            }
            Varint.read(in);
            t = Varint.readSigned(in);
            int scaleIndex = encoding != XOR ? in.get() : 0;
            if (scaleIndex < 0 || scaleIndex > MAX_DECIMAL_SCALE) {
                throw new CorruptChunkException("bad decimal scale");
            }
            scale = POWERS[scaleIndex];
            bits = new BitReader(data, in.position(), data.length - in.position());
            if (encoding == PACKED) {
                packedTs = new long[count];
                packedInts = new long[count];
                PackedCodec.read(bits, t, count, packedTs, packedInts);
            }
        }

        @Override
        public boolean next() {
            if (index + 1 >= count) {
                return false;
            }
            index++;
            if (encoding == PACKED) {
                t = packedTs[index];
                v = packedInts[index] / scale;
                return true;
            }
            if (index > 0) {
                delta += DeltaOfDelta.read(bits);
                t += delta;
            }
            if (encoding == XOR) {
                v = index == 0 ? xor.readFirst(bits) : xor.read(bits);
            } else {
                if (index == 0) {
                    intValue = bits.readBits(64);
                } else {
                    long dod = DeltaOfDelta.read(bits);
                    intDelta = index == 1 ? dod : intDelta + dod;
                    intValue += intDelta;
                }
                v = intValue / scale;
            }
            return true;
        }

        @Override
        public long timestamp() {
            return t;
        }

        @Override
        public double value() {
            return v;
        }
    }
}
