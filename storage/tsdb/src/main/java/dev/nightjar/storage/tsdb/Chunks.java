package dev.nightjar.storage.tsdb;

import java.util.ArrayList;
import java.util.List;

/** Splits a run of samples into block chunks of at most {@link ChunkAppender#MAX_SAMPLES}. */
final class Chunks {

    private Chunks() {}

    static List<Chunk> encode(SampleBuffer samples) {
        List<Chunk> out = new ArrayList<>();
        int n = samples.size();
        for (int from = 0; from < n; from += ChunkAppender.MAX_SAMPLES) {
            int size = Math.min(ChunkAppender.MAX_SAMPLES, n - from);
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
