package dev.nightjar.storage.tsdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The WAL record of one append's accepted samples, encoded while the head takes them: one run per
 * series (id once, then its samples), so no per-sample id and no intermediate arrays. Layout after the
 * type byte: run count (4 bytes), then per run the series id (varint), its sample count (4 bytes), then
 * per sample its timestamp and its value. Counts are fixed-width so they can be filled in once a run or
 * the record is complete.
 *
 * <p>Type 6 (written since): the first timestamp as a zig-zag varint, the second as a zig-zag delta, later
 * ones as zig-zag deltas of deltas (one byte at a regular interval); each value's bits XOR the previous
 * value's (0 for the first) as a byte-aligned Gorilla word: a header byte with the XOR's leading and
 * trailing zero bytes (0x80 for equal values), then the bytes between. Every record is fsynced before
 * its write is acknowledged and every byte of it preallocated as zeros first, so its size is paid three
 * times; type 5 (still read) spent 11 bytes on a sample, type 6 spends 5.3 on the benchmarks' fleet workload.
 *
 * <p>Type 5: the first timestamp as a zig-zag varint, later ones as zig-zag deltas, each value's 8 raw
 * bytes.
 */
final class WalSampleRuns {

    static final byte TYPE = 6;
    static final byte RAW_TYPE = 5;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    // Worst cases: a 5-byte id varint + 4-byte count per run; a 10-byte varint, a header byte and 8 value
    // bytes per sample.
    private static final int PER_RUN = 9;
    private static final int PER_SAMPLE = 19;
    private static final int KEPT_BYTES = 1 << 20;

    private byte[] buffer;
    private int position = 5;
    private int runs;
    private int runStart;
    private int countAt;
    private int count;
    private long previous;
    private long previousDelta;
    private long previousBits;

    /** Room for {@code runs} runs of {@code samples} samples in total. */
    WalSampleRuns(int runs, int samples) {
        buffer = new byte[capacity(runs, samples)];
        buffer[0] = TYPE;
    }

    private static int capacity(int runs, int samples) {
        return 5 + runs * PER_RUN + samples * PER_SAMPLE;
    }

    /**
     * Empties this encoder for a record of up to {@code runs} runs and {@code samples} samples, keeping
     * its buffer when large enough: the append path reuses one encoder, whose buffer stays in cache,
     * instead of a fresh ~36 KB array per request. A rare huge write gets an encoder of its own, so the
     * kept buffer stays at most {@link #KEPT_BYTES}.
     */
    WalSampleRuns reset(int runs, int samples) {
        if (capacity(runs, samples) > KEPT_BYTES) {
            return new WalSampleRuns(runs, samples);
        }
        if (buffer.length < capacity(runs, samples)) {
            buffer = new byte[capacity(runs, samples)];
            buffer[0] = TYPE;
        }
        position = 5;
        this.runs = 0;
        return this;
    }

    void begin(int seriesId) {
        runStart = position;
        position = putVarint(buffer, position, seriesId & 0xFFFFFFFFL);
        countAt = position;
        position += 4;
        count = 0;
    }

    void add(long t, double v) {
        long stored;
        if (count == 0) {
            stored = t;
            previousBits = 0;
        } else {
            long delta = t - previous;
            stored = count == 1 ? delta : delta - previousDelta;
            previousDelta = delta;
        }
        previous = t;
        count++;
        position = putVarint(buffer, position, (stored << 1) ^ (stored >> 63));
        long bits = Double.doubleToRawLongBits(v);
        long xor = bits ^ previousBits;
        previousBits = bits;
        if (xor == 0) {
            buffer[position++] = (byte) 0x80;
            return;
        }
        int lead = Long.numberOfLeadingZeros(xor) >>> 3;
        int trail = Long.numberOfTrailingZeros(xor) >>> 3;
        buffer[position++] = (byte) ((lead << 4) | trail);
        // The middle bytes, big-endian: the whole word written, the position advanced past the kept ones.
        LONGS.set(buffer, position, xor << (lead << 3));
        position += 8 - lead - trail;
    }

    /** Closes the current run; a run without samples leaves no trace. */
    void end() {
        if (count == 0) {
            position = runStart;
            return;
        }
        INTS.set(buffer, countAt, count);
        runs++;
    }

    boolean isEmpty() {
        return runs == 0;
    }

    /** A copy of the finished record, and this encoder emptied for the next one. */
    byte[] take() {
        byte[] record = java.util.Arrays.copyOf(buffer(), position);
        position = 5;
        runs = 0;
        return record;
    }

    /** The finished record: {@code buffer()[0, length())}. */
    byte[] buffer() {
        INTS.set(buffer, 1, runs);
        return buffer;
    }

    int length() {
        return position;
    }

    /** Decodes a type 6 record (type byte already read) into parallel arrays. */
    static WalRecord.Samples decode(ByteBuffer in, int maxCount) {
        return decode(in, maxCount, true);
    }

    /** Decodes a type 5 record (type byte already read), as written before type 6. */
    static WalRecord.Samples decodeRaw(ByteBuffer in, int maxCount) {
        return decode(in, maxCount, false);
    }

    private static WalRecord.Samples decode(ByteBuffer in, int maxCount, boolean compact) {
        if (in.remaining() < 4) {
            throw new CorruptChunkException("sample runs header cut off");
        }
        int runCount = in.getInt();
        if (runCount < 0 || runCount > in.remaining()) {
            throw new CorruptChunkException("sample run count beyond record");
        }
        // Every sample takes at least this many bytes (a varint and a value), so a larger count is corrupt.
        int minSample = compact ? 2 : 9;
        int total = 0;
        int[] ids = new int[Math.min(in.remaining() / minSample + 1, maxCount)];
        long[] ts = new long[ids.length];
        double[] vs = new double[ids.length];
        for (int r = 0; r < runCount; r++) {
            int id = Varint.readInt(in, Integer.MAX_VALUE);
            if (in.remaining() < 4) {
                throw new CorruptChunkException("sample run cut off");
            }
            int n = in.getInt();
            if (n <= 0 || n > in.remaining() / minSample || total + n > ids.length) {
                throw new CorruptChunkException("sample run count beyond record");
            }
            long t = 0;
            long delta = 0;
            long bits = 0;
            for (int i = 0; i < n; i++) {
                long stored = Varint.readSigned(in);
                if (!compact || i < 2) {
                    delta = i == 0 ? 0 : stored;
                    t = i == 0 ? stored : t + stored;
                } else {
                    delta += stored;
                    t += delta;
                }
                ids[total] = id;
                ts[total] = t;
                if (compact) {
                    bits ^= readXor(in);
                } else {
                    if (in.remaining() < 8) {
                        throw new CorruptChunkException("sample value cut off");
                    }
                    bits = in.getLong();
                }
                vs[total++] = Double.longBitsToDouble(bits);
            }
        }
        return new WalRecord.Samples(ids, ts, vs, total);
    }

    private static long readXor(ByteBuffer in) {
        if (!in.hasRemaining()) {
            throw new CorruptChunkException("sample value cut off");
        }
        int header = in.get() & 0xFF;
        if (header == 0x80) {
            return 0;
        }
        int lead = header >>> 4;
        int trail = header & 0x0F;
        int kept = 8 - lead - trail;
        if (kept < 1 || kept > 8 || in.remaining() < kept) {
            throw new CorruptChunkException("sample value cut off or malformed");
        }
        long word = 0;
        for (int i = 0; i < kept; i++) {
            word = (word << 8) | (in.get() & 0xFF);
        }
        return word << (trail << 3);
    }

    private static int putVarint(byte[] out, int pos, long value) {
        // A regular interval's timestamp delta (15 s in ms: 3 bytes) takes the straight-line path.
        if ((value & ~0x1FFFFFL) == 0) {
            if ((value & ~0x7FL) == 0) {
                out[pos] = (byte) value;
                return pos + 1;
            }
            if ((value & ~0x3FFFL) == 0) {
                out[pos] = (byte) (value | 0x80);
                out[pos + 1] = (byte) (value >>> 7);
                return pos + 2;
            }
            out[pos] = (byte) (value | 0x80);
            out[pos + 1] = (byte) ((value >>> 7) | 0x80);
            out[pos + 2] = (byte) (value >>> 14);
            return pos + 3;
        }
        while ((value & ~0x7FL) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }
}
