package dev.nightjar.storage.tsdb;

import java.util.ArrayList;
import java.util.Arrays;
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
        int n = samples.size();
        // Always an ArrayList: block writing iterates these lists, and a second list class at that call site
        // made the JIT deoptimise and recompile the block writer.
        List<Chunk> out = new ArrayList<>(n / MAX_BLOCK_CHUNK_SAMPLES + 1);
        if (n <= MAX_BLOCK_CHUNK_SAMPLES) {
            // The codecs read only [0, n), so the buffer's own arrays serve without a copy.
            if (n > 0) {
                out.add(Chunk.best(samples.timestamps(), samples.values(), n));
            }
            return out;
        }
        for (int from = 0; from < n; from += MAX_BLOCK_CHUNK_SAMPLES) {
            int size = Math.min(MAX_BLOCK_CHUNK_SAMPLES, n - from);
            long[] ts = Arrays.copyOfRange(samples.timestamps(), from, from + size);
            double[] vs = Arrays.copyOfRange(samples.values(), from, from + size);
            out.add(Chunk.best(ts, vs, size));
        }
        return out;
    }
}
