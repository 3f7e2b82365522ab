package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A block range of the head frozen for a cut. Freezing happens under the tenant's write lock and only
 * copies references (closed chunks are immutable) and the few open samples; encoding the block, writing
 * and fsyncing it happen after the lock is released, while appends continue on newer samples. The head
 * keeps serving the range to queries until the block is published in its place.
 */
final class HeadCut {

    /** One series' samples of the range: shared closed chunks, a copy of the open chunk and late samples. */
    record FrozenSeries(Labels labels, List<Chunk> chunks, long[] openTs, double[] openVs, TreeMap<Long, Double> late) {

        /** Appends the samples in {@code [mint, maxt]} in timestamp order (as {@link HeadSeries#collect}). */
        void collect(long mint, long maxt, SampleBuffer out) {
            SampleBuffer inOrder = late == null || late.isEmpty() ? out : new SampleBuffer();
            for (Chunk chunk : chunks) {
                if (chunk.maxTime() >= mint && chunk.minTime() <= maxt) {
                    chunk.decodeInto(inOrder, mint, maxt);
                }
            }
            for (int i = 0; i < openTs.length; i++) {
                if (openTs[i] >= mint && openTs[i] <= maxt) {
                    inOrder.add(openTs[i], openVs[i]);
                }
            }
            if (inOrder != out) {
                out.addMerged(inOrder, late.subMap(mint, true, maxt, true));
            }
        }
    }

    final long minTime;
    final long maxTime;
    private final List<FrozenSeries> series;

    private HeadCut(long minTime, long maxTime, List<FrozenSeries> series) {
        this.minTime = minTime;
        this.maxTime = maxTime;
        this.series = series;
    }

    /** Freezes the head's samples in {@code [minTime, maxTime)}; the caller holds the tenant's write lock. */
    static HeadCut freeze(Head head, long minTime, long maxTime) {
        List<FrozenSeries> frozen = new ArrayList<>(head.seriesCount());
        for (HeadSeries s : head.all()) {
            if (s.minTime() < maxTime) {
                frozen.add(s.freeze(maxTime));
            }
        }
        return new HeadCut(minTime, maxTime, frozen);
    }

    /**
     * Re-encodes every series' samples with the smallest codec and writes the block durably (temporary
     * directory, fsync, rename); returns its directory, or null when the range holds no sample.
     */
    Path write(Path blocksDir) throws IOException {
        series.sort(Comparator.comparing(FrozenSeries::labels));
        List<BlockWriter.SeriesChunks> out = new ArrayList<>(series.size());
        SampleBuffer buffer = new SampleBuffer();
        for (FrozenSeries s : series) {
            encode(s, buffer, out);
        }
        return out.isEmpty() ? null : BlockWriter.write(blocksDir, minTime, maxTime, 1, out);
    }

    /** One series' block chunks; a method of its own so the JIT compiles it once rather than the loop. */
    private void encode(FrozenSeries s, SampleBuffer buffer, List<BlockWriter.SeriesChunks> out) {
        buffer.clear();
        s.collect(minTime, maxTime - 1, buffer);
        if (buffer.size() > 0) {
            out.add(new BlockWriter.SeriesChunks(s.labels(), Chunks.encode(buffer)));
        }
    }
}
