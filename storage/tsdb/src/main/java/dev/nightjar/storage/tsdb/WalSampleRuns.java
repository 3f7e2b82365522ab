package dev.nightjar.storage.tsdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The WAL record of one append's accepted samples, encoded while the head takes them: one run per
 * series (id once, then its samples), so no per-sample id and no intermediate arrays. Layout after the
 * type byte: run count (4 bytes), then per run the series id (varint), its sample count (4 bytes), the
 * first timestamp (zig-zag varint), later timestamps as zig-zag deltas, and each value's 8 raw bytes.
 * Counts are fixed-width so they can be filled in once a run or the record is complete.
 */
final class WalSampleRuns {

    static final byte TYPE = 5;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    // Worst cases: a 5-byte id varint + 4-byte count per run; a 10-byte varint + 8 value bytes per sample.
    private static final int PER_RUN = 9;
    private static final int PER_SAMPLE = 18;
    private static final int KEPT_BYTES = 1 << 20;

    private byte[] buffer;
    private int position = 5;
    private int runs;
    private int runStart;
    private int countAt;
    private int count;
    private long previous;

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
        long delta = count == 0 ? t : t - previous;
        previous = t;
        count++;
        position = putVarint(buffer, position, (delta << 1) ^ (delta >> 63));
        LONGS.set(buffer, position, Double.doubleToRawLongBits(v));
        position += 8;
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

    /** Decodes a record written by this class (type byte already read) into parallel arrays. */
    static WalRecord.Samples decode(ByteBuffer in, int maxCount) {
        if (in.remaining() < 4) {
            throw new CorruptChunkException("sample runs header cut off");
        }
        int runCount = in.getInt();
        if (runCount < 0 || runCount > in.remaining()) {
            throw new CorruptChunkException("sample run count beyond record");
        }
        int total = 0;
        int[] ids = new int[Math.min(in.remaining() / 9 + 1, maxCount)];
        long[] ts = new long[ids.length];
        double[] vs = new double[ids.length];
        for (int r = 0; r < runCount; r++) {
            int id = Varint.readInt(in, Integer.MAX_VALUE);
            if (in.remaining() < 4) {
                throw new CorruptChunkException("sample run cut off");
            }
            int n = in.getInt();
            // Every sample takes at least 9 bytes (a varint and a value), so a larger count is corrupt.
            if (n <= 0 || n > in.remaining() / 9 || total + n > ids.length) {
                throw new CorruptChunkException("sample run count beyond record");
            }
            long t = 0;
            for (int i = 0; i < n; i++) {
                t = i == 0 ? Varint.readSigned(in) : t + Varint.readSigned(in);
                if (in.remaining() < 8) {
                    throw new CorruptChunkException("sample value cut off");
                }
                ids[total] = id;
                ts[total] = t;
                vs[total++] = Double.longBitsToDouble(in.getLong());
            }
        }
        return new WalRecord.Samples(ids, ts, vs, total);
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
