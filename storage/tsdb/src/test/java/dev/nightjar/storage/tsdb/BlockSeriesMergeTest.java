package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.metrics.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockSeriesMergeTest {

    @TempDir
    Path dir;

    private static Chunk chunk(long from, int n, double value) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = from + 15_000L * i;
            vs[i] = value + i;
        }
        return Chunk.best(ts, vs, n);
    }

    /** A block of the given series (in the given order), one chunk each in {@code [from, from + 1 h)}. */
    private Block block(String name, long from, List<String> jobs) throws Exception {
        List<BlockWriter.SeriesChunks> series = new ArrayList<>();
        for (String job : jobs) {
            series.add(new BlockWriter.SeriesChunks(
                    Labels.of("__name__", "up", "job", job), List.of(chunk(from, 240, job.length()))));
        }
        Path blocks = dir.resolve(name);
        java.nio.file.Files.createDirectories(blocks);
        return Block.open(BlockWriter.write(blocks, from, from + 3_600_000, 1, series));
    }

    private static Map<Labels, List<Long>> viaTreeMap(List<Block> blocks) {
        TreeMap<Labels, List<Long>> out = new TreeMap<>();
        for (Block b : blocks) {
            for (int id = 0; id < b.seriesCount(); id++) {
                for (Chunk c : b.chunks(id)) {
                    out.computeIfAbsent(b.labels(id), l -> new ArrayList<>()).add(c.minTime());
                }
            }
        }
        return out;
    }

    @Test
    void visitsEverySeriesOnceInLabelOrderWithTheChunksOfEveryBlock() throws Exception {
        List<Block> blocks = List.of(
                block("a", 0, List.of("a", "c", "e", "g")),
                block("b", 3_600_000, List.of("b", "c", "d", "g", "h")),
                block("c", 7_200_000, List.of("c", "z")),
                block("d", 10_800_000, List.of()));
        assertThat(BlockSeriesMerge.sorted(blocks)).isTrue();
        Map<Labels, List<Long>> walked = new LinkedHashMap<>();
        BlockSeriesMerge.forEachSeries(blocks, (labels, chunks) -> {
            assertThat(walked).doesNotContainKey(labels);
            walked.put(labels, chunks.stream().map(Chunk::minTime).toList());
        });
        assertThat(walked).containsExactlyEntriesOf(viaTreeMap(blocks));
        assertThat(walked.get(Labels.of("__name__", "up", "job", "c"))).containsExactly(0L, 3_600_000L, 7_200_000L);
    }

    @Test
    void aBlockListingItsSeriesOutOfOrderIsNotTakenForSorted() throws Exception {
        Block unsorted = block("u", 0, List.of("b", "a"));
        Block repeated = block("r", 0, List.of("a", "a"));
        assertThat(BlockSeriesMerge.sorted(List.of(block("s", 0, List.of("a", "b")), unsorted)))
                .isFalse();
        assertThat(BlockSeriesMerge.sorted(List.of(repeated))).isFalse();
    }
}
