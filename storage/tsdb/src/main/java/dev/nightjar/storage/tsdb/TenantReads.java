package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's reads over its blocks and head; the caller holds the tenant's read lock, so a block cut
 * (published together with the head's truncation under the write lock) is seen whole or not at all.
 */
final class TenantReads {

    private TenantReads() {}

    /**
     * Block chunks are handed out still compressed ({@link SelectedSeries}) and decoded while the
     * caller iterates; the head's samples are copied out, since the head changes under appends.
     */
    static List<Series> select(Head head, BlockSet blocks, List<Matcher> matchers, long mint, long maxt) {
        TreeMap<Labels, List<SelectedSeries.Run>> merged = new TreeMap<>();
        for (Block block : blocks.overlapping(mint, maxt)) {
            for (int id : block.select(matchers)) {
                List<SelectedSeries.Run> runs = new ArrayList<>(2);
                block.runs(id, mint, maxt, runs);
                if (!runs.isEmpty()) {
                    merged.computeIfAbsent(block.labels(id), l -> new ArrayList<>(4))
                            .addAll(runs);
                }
            }
        }
        for (HeadSeries s : head.select(matchers)) {
            SampleBuffer buffer = new SampleBuffer();
            s.collect(mint, maxt, buffer);
            if (buffer.size() > 0) {
                merged.computeIfAbsent(s.labels, l -> new ArrayList<>(1))
                        .add(new SelectedSeries.Run(null, buffer.toSeries(Labels.EMPTY)));
            }
        }
        List<Series> out = new ArrayList<>(merged.size());
        merged.forEach((labels, runs) -> out.add(series(labels, runs, mint, maxt)));
        return out;
    }

    /** Runs that overlap in time (rare: a block and the head sharing a window) are merged eagerly. */
    private static Series series(Labels labels, List<SelectedSeries.Run> runs, long mint, long maxt) {
        boolean ordered = true;
        for (int i = 1; i < runs.size() && ordered; i++) {
            ordered = runs.get(i).minTime() > runs.get(i - 1).maxTime();
        }
        if (ordered) {
            return new SelectedSeries(labels, List.copyOf(runs), mint, maxt);
        }
        SampleBuffer merged = new SampleBuffer();
        for (SelectedSeries.Run run : runs) {
            SampleBuffer buffer = new SampleBuffer();
            buffer.addRange(run.iterator(), mint, maxt);
            merged.addAll(buffer);
        }
        return merged.toSeries(labels);
    }

    /** Labels of series matching the matchers (every series when none) with samples in the range. */
    static Set<Labels> matchingLabels(Head head, BlockSet blocks, List<Matcher> matchers, long mint, long maxt) {
        Set<Labels> out = new TreeSet<>();
        for (Block block : blocks.overlapping(mint, maxt)) {
            int[] ids = matchers.isEmpty() ? allIds(block.seriesCount()) : block.select(matchers);
            for (int id : ids) {
                if (block.hasSamplesIn(id, mint, maxt)) {
                    out.add(block.labels(id));
                }
            }
        }
        for (HeadSeries s : matchers.isEmpty() ? head.all() : head.select(matchers)) {
            if (s.hasSamplesIn(mint, maxt)) {
                out.add(s.labels);
            }
        }
        return out;
    }

    private static int[] allIds(int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i;
        }
        return ids;
    }
}
