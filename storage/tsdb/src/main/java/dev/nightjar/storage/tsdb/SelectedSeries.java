package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.ArraySeries;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.Series;
import java.util.List;

/**
 * A selected series whose block chunks are decoded only while a reader iterates them, so a query can
 * stream one series at a time instead of holding every selected sample decoded at once. Each run was
 * copied out under the tenant's read lock (chunk bytes, or the head's samples), so later appends,
 * compaction or retention cannot change what an iterator returns.
 *
 * @param runs non-empty, in time order and not overlapping one another
 */
record SelectedSeries(Labels labels, List<Run> runs, long mint, long maxt) implements Series {

    /** A compressed block chunk or an already decoded stretch of samples. */
    record Run(Chunk chunk, ArraySeries decoded) {
        long minTime() {
            return chunk != null ? chunk.minTime() : decoded.timestamps()[0];
        }

        long maxTime() {
            return chunk != null ? chunk.maxTime() : decoded.timestamps()[decoded.size() - 1];
        }

        SampleIterator iterator() {
            return chunk != null ? chunk.iterator() : decoded.samples();
        }
    }

    @Override
    public SampleIterator samples() {
        return new Iterator();
    }

    private final class Iterator implements SampleIterator {
        private int run = -1;
        private SampleIterator current;
        private long t;
        private double v;

        @Override
        public boolean next() {
            while (true) {
                if (current != null && current.next()) {
                    long ts = current.timestamp();
                    if (ts < mint) {
                        continue;
                    }
                    if (ts > maxt) {
                        run = runs.size();
                        current = null;
                        return false;
                    }
                    t = ts;
                    v = current.value();
                    return true;
                }
                if (run + 1 >= runs.size()) {
                    run = runs.size();
                    current = null;
                    return false;
                }
                current = runs.get(++run).iterator();
            }
        }

        @Override
        public long timestamp() {
            return t;
        }

        @Override
        public double value() {
            return v;
        }
    }

    @Override
    public String toString() {
        return labels + " (" + runs.size() + " runs)";
    }
}
