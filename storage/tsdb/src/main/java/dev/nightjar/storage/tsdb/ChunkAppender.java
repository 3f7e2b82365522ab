package dev.nightjar.storage.tsdb;

import java.util.Arrays;

/**
 * The open chunk of a head series. It keeps the raw samples of the current chunk (at most
 * {@link #MAX_SAMPLES}); the compressed form is produced when the chunk is cut, so in-order appends
 * never pay for re-encoding.
 */
final class ChunkAppender {

    static final int MAX_SAMPLES = 120;

    private long[] ts = new long[8];
    private double[] vs = new double[8];
    private int size;

    int size() {
        return size;
    }

    long minTime() {
        return ts[0];
    }

    long maxTime() {
        return ts[size - 1];
    }

    void append(long t, double v) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, Math.min(MAX_SAMPLES, size * 2));
            vs = Arrays.copyOf(vs, ts.length);
        }
        ts[size] = t;
        vs[size++] = v;
    }

    long timestamp(int i) {
        return ts[i];
    }

    double value(int i) {
        return vs[i];
    }

    Chunk cut() {
        Chunk chunk = Chunk.xor(ts, vs, size);
        size = 0;
        ts = new long[8];
        vs = new double[8];
        return chunk;
    }
}
