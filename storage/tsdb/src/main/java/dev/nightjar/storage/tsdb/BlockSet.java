package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A tenant's blocks, sorted by time: loading (dropping leftovers of an interrupted compaction),
 * compaction of adjacent blocks into larger aligned ones, and retention by whole blocks.
 */
final class BlockSet {

    private static final System.Logger LOG = System.getLogger(BlockSet.class.getName());
    /** Each compaction level spans this many blocks of the level below. */
    static final int LEVEL_FACTOR = 3;

    static final int MAX_LEVEL = 4;

    private final Path dir;
    // Replaced whole, only by the tenant's one maintenance caller at a time; reads take a snapshot.
    private volatile List<Block> blocks;

    private BlockSet(Path dir, List<Block> blocks) {
        this.dir = dir;
        this.blocks = blocks;
    }

    static BlockSet open(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Block> loaded = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    TsdbFiles.deleteRecursively(p);
                    continue;
                }
                if (p.getFileName().toString().endsWith(".broken")) {
                    continue;
                }
                try {
                    loaded.add(Block.open(p));
                } catch (IOException e) {
                    // A damaged block is set aside, not deleted: an operator may still recover it.
                    LOG.log(Level.ERROR, "metrics block " + p + " is unreadable and was set aside: " + e.getMessage());
                    Files.move(p, p.resolveSibling(p.getFileName() + ".broken"));
                }
            }
        }
        List<Block> kept = new ArrayList<>();
        for (Block b : loaded) {
            boolean covered = loaded.stream().anyMatch(o -> o != b && o.meta.contains(b.meta));
            if (covered) {
                TsdbFiles.deleteRecursively(b.dir);
            } else {
                kept.add(b);
            }
        }
        kept.sort(Comparator.comparingLong(b -> b.meta.minTime()));
        return new BlockSet(dir, kept);
    }

    Path dir() {
        return dir;
    }

    void add(Path blockDir) throws IOException {
        publish(Block.open(blockDir));
    }

    /** Makes an opened block visible to reads (one volatile write: a reader sees it whole or not at all). */
    void publish(Block block) {
        List<Block> next = new ArrayList<>(blocks);
        next.add(block);
        next.sort(Comparator.comparingLong(b -> b.meta.minTime()));
        blocks = next;
    }

    List<Block> overlapping(long mint, long maxt) {
        List<Block> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b.meta.minTime() <= maxt && b.meta.maxTime() > mint) {
                out.add(b);
            }
        }
        return out;
    }

    long maxTime() {
        return blocks.isEmpty() ? Long.MIN_VALUE : blocks.getLast().meta.maxTime();
    }

    int count() {
        return blocks.size();
    }

    long samples() {
        return blocks.stream().mapToLong(b -> b.meta.samples()).sum();
    }

    long diskBytes() {
        long total = 0;
        for (Block b : blocks) {
            try {
                total += TsdbFiles.sizeOf(b.dir);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot size block " + b.dir + ": " + e.getMessage());
            }
        }
        return total;
    }

    /**
     * Merges blocks sharing an aligned window of the next level once no more data can arrive for
     * that window ({@code closedBefore}).
     */
    void compact(long baseRange, long closedBefore) throws IOException {
        long range = baseRange;
        for (int level = 2; level <= MAX_LEVEL; level++) {
            range *= LEVEL_FACTOR;
            Map<Long, List<Block>> windows = new TreeMap<>();
            for (Block b : blocks) {
                long start = Math.floorDiv(b.meta.minTime(), range) * range;
                if (b.meta.maxTime() <= start + range && b.meta.level() < level) {
                    windows.computeIfAbsent(start, s -> new ArrayList<>()).add(b);
                }
            }
            for (Map.Entry<Long, List<Block>> w : windows.entrySet()) {
                long start = w.getKey();
                if (w.getValue().size() >= 2 && start + range <= closedBefore) {
                    merge(w.getValue(), start, start + range, level);
                }
            }
        }
    }

    private void merge(List<Block> inputs, long minTime, long maxTime, int level) throws IOException {
        // Inputs cut from the head hold one short chunk per series (480 samples for 2 h at 15 s): re-encoding
        // joins them into longer ones, with fewer headers and index entries and better-fitted codecs. Inputs
        // that were compacted already hold chunks of up to MAX_BLOCK_CHUNK_SAMPLES, long enough that joining
        // them again saves little (~1.6 % of the bytes in bench/metrics) and would decode and encode most samples a
        // second time.
        boolean copy = inputs.stream().allMatch(b -> b.meta.level() >= 2);
        SeriesMerger merger = new SeriesMerger(copy);
        List<BlockWriter.SeriesChunks> out = merger.out;
        if (BlockSeriesMerge.sorted(inputs)) {
            BlockSeriesMerge.forEachSeries(inputs, merger::add);
        } else {
            // Blocks list their series in label order; one that does not is merged through a sorted map.
            TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
            for (Block b : inputs) {
                for (int id = 0; id < b.seriesCount(); id++) {
                    series.computeIfAbsent(b.labels(id), l -> new ArrayList<>()).addAll(b.chunks(id));
                }
            }
            series.forEach(merger::add);
        }
        Path merged = BlockWriter.write(dir, minTime, maxTime, level, out);
        List<Block> next = new ArrayList<>(blocks);
        next.removeAll(inputs);
        next.add(Block.open(merged));
        next.sort(Comparator.comparingLong(b -> b.meta.minTime()));
        blocks = next;
        for (Block b : inputs) {
            TsdbFiles.deleteRecursively(b.dir);
        }
        TsdbFiles.syncDirectory(dir);
    }

    /** Builds the merged block's series one at a time (a small method the JIT compiles once, not per loop). */
    private static final class SeriesMerger {
        final List<BlockWriter.SeriesChunks> out = new ArrayList<>();
        private final boolean copy;
        private final SampleBuffer samples = new SampleBuffer();
        private final PackedChunkJoin join = new PackedChunkJoin();

        SeriesMerger(boolean copy) {
            this.copy = copy;
        }

        void add(Labels labels, List<Chunk> chunks) {
            chunks.sort(Comparator.comparingLong(Chunk::minTime));
            boolean disjoint = disjoint(chunks);
            if (copy && disjoint) {
                out.add(new BlockWriter.SeriesChunks(labels, chunks));
                return;
            }
            List<Chunk> joined = disjoint ? join.join(chunks) : null;
            if (joined != null) {
                out.add(new BlockWriter.SeriesChunks(labels, joined));
                return;
            }
            samples.clear();
            for (Chunk c : chunks) {
                c.decodeInto(samples, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            out.add(new BlockWriter.SeriesChunks(labels, Chunks.encode(samples)));
        }
    }

    /** Chunks sorted by start time that do not overlap (blocks of one window normally never do). */
    private static boolean disjoint(List<Chunk> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).minTime() <= sorted.get(i - 1).maxTime()) {
                return false;
            }
        }
        return true;
    }

    /** Deletes every block that ends at or before {@code cutoff}; returns how many. */
    int applyRetention(long cutoff) throws IOException {
        List<Block> expired =
                blocks.stream().filter(b -> b.meta.maxTime() <= cutoff).toList();
        if (expired.isEmpty()) {
            return 0;
        }
        List<Block> next = new ArrayList<>(blocks);
        next.removeAll(expired);
        blocks = next;
        for (Block b : expired) {
            TsdbFiles.deleteRecursively(b.dir);
        }
        TsdbFiles.syncDirectory(dir);
        return expired.size();
    }
}
