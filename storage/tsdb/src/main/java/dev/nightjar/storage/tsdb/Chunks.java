package dev.nightjar.storage.tsdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a block's run of samples into chunks. Block chunks may be longer than the head's 120
 * samples: they are written once and re-encoded with the best codec, and a longer run amortises the
 * chunk header and packing groups (a 2 h block at 15 s is one 480-sample chunk).
 */
final class Chunks {

    static final int MAX_BLOCK_CHUNK_SAMPLES = 1024;

    private Chunks() {}

    static List<Chunk> encode(SampleBuffer samples) {
        List<Chunk> out = new ArrayList<>();
        int n = samples.size();
        for (int from = 0; from < n; from += MAX_BLOCK_CHUNK_SAMPLES) {
            int size = Math.min(MAX_BLOCK_CHUNK_SAMPLES, n - from);
            long[] ts = new long[size];
            double[] vs = new double[size];
            for (int i = 0; i < size; i++) {
                ts[i] = samples.timestamp(from + i);
                vs[i] = samples.value(from + i);
            }
            out.add(Chunk.best(ts, vs, size));
        }
        return out;
    }
}
