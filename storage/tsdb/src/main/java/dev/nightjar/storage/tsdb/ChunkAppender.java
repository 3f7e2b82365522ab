package dev.nightjar.storage.tsdb;

import java.util.Arrays;

/**
 * The open chunk of a head series. It keeps the raw samples of the current chunk (at most
 * {@link #MAX_SAMPLES}); the compressed form is produced when the chunk is cut, so in-order appends
 * never pay for re-encoding. {@link HeadSeries} extends it rather than holding one, so the open chunk's
 * fields live in the series object: an append touches every series of a write, mostly cache misses over
 * tens of thousands of series, and this saves a dependent load per series.
 */
abstract class ChunkAppender {

    static final int MAX_SAMPLES = 120;

    private long[] ts = new long[8];
    private double[] vs = new double[8];
    private int size;

    final int openSize() {
        return size;
    }

    final long openMinTime() {
        return ts[0];
    }

    final long openMaxTime() {
        return ts[size - 1];
    }

    final void openAppend(long t, double v) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, Math.min(MAX_SAMPLES, size * 2));
            vs = Arrays.copyOf(vs, ts.length);
        }
        ts[size] = t;
        vs[size++] = v;
    }

    final long openTimestamp(int i) {
        return ts[i];
    }

    final double openValue(int i) {
        return vs[i];
    }

    final Chunk cutOpen() {
        Chunk chunk = Chunk.xor(ts, vs, size);
        size = 0;
        ts = new long[8];
        vs = new double[8];
        return chunk;
    }
}
