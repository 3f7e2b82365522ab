package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Walks the series of several blocks in label order, as one list: every block lists its series sorted by
 * labels, so a merge of the lists (a handful of blocks per compaction) visits each series once, with the
 * chunks of every block that holds it, without building a sorted map of all of them.
 */
final class BlockSeriesMerge {

    private BlockSeriesMerge() {}

    /** Whether every block lists its series in strictly ascending label order. */
    static boolean sorted(List<Block> blocks) {
        for (Block b : blocks) {
            for (int id = 1; id < b.seriesCount(); id++) {
                if (b.labels(id - 1).compareTo(b.labels(id)) >= 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Calls {@code action} once per distinct series in label order, with its chunks from every block. */
    static void forEachSeries(List<Block> blocks, BiConsumer<Labels, List<Chunk>> action) {
        int k = blocks.size();
        int[] next = new int[k];
        while (true) {
            Labels smallest = null;
            for (int b = 0; b < k; b++) {
                if (next[b] < blocks.get(b).seriesCount()) {
                    Labels l = blocks.get(b).labels(next[b]);
                    if (smallest == null || l.compareTo(smallest) < 0) {
                        smallest = l;
                    }
                }
            }
            if (smallest == null) {
                return;
            }
            List<Chunk> chunks = new ArrayList<>();
            for (int b = 0; b < k; b++) {
                Block block = blocks.get(b);
                if (next[b] < block.seriesCount() && block.labels(next[b]).equals(smallest)) {
                    chunks.addAll(block.chunks(next[b]));
                    next[b]++;
                }
            }
            action.accept(smallest, chunks);
        }
    }
}
