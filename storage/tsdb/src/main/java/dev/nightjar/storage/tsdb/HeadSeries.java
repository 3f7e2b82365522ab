package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One series in the head: Gorilla-compressed closed chunks, the open chunk, and a small sorted
 * buffer for samples that arrived out of order (within the window).
 */
final class HeadSeries extends ChunkAppender {

    enum Outcome {
        ADDED,
        SAME,
        DUPLICATE
    }

    final int id;
    final Labels labels;
    private final long chunkRange;
    private final List<Chunk> chunks = new ArrayList<>();
    private TreeMap<Long, Double> outOfOrder;
    // End (exclusive) of the chunk range the open chunk's first sample falls in; valid while it is open.
    private long openEnd;

    HeadSeries(int id, Labels labels, long chunkRange) {
        this.id = id;
        this.labels = labels;
        this.chunkRange = chunkRange;
    }

    long maxTime() {
        if (openSize() > 0) {
            return openMaxTime();
        }
        return chunks.isEmpty() ? Long.MIN_VALUE : chunks.getLast().maxTime();
    }

    /** The oldest sample held, or {@code Long.MAX_VALUE} when empty. */
    long minTime() {
        long min = Long.MAX_VALUE;
        if (!chunks.isEmpty()) {
            min = chunks.getFirst().minTime();
        } else if (openSize() > 0) {
            min = openMinTime();
        }
        if (outOfOrder != null && !outOfOrder.isEmpty()) {
            min = Math.min(min, outOfOrder.firstKey());
        }
        return min;
    }

    boolean isEmpty() {
        return openSize() == 0 && chunks.isEmpty() && (outOfOrder == null || outOfOrder.isEmpty());
    }

    /**
     * The common case (newer than everything, room left in the open chunk's time range) stays in this
     * small method; cutting a chunk, the first sample of a chunk and out-of-order samples are apart.
     */
    Outcome append(long t, double v) {
        int size = openSize();
        if (size > 0 && size < MAX_SAMPLES && t > openMaxTime() && t < openEnd) {
            openAppend(t, v);
            return Outcome.ADDED;
        }
        return appendRare(t, v);
    }

    private Outcome appendRare(long t, double v) {
        long max = maxTime();
        if (t > max) {
            if (openSize() >= MAX_SAMPLES
                    || (openSize() > 0 && Math.floorDiv(t, chunkRange) != Math.floorDiv(openMinTime(), chunkRange))) {
                chunks.add(cutOpen());
            }
            if (openSize() == 0) {
                // Timestamps at the ends of the long range would overflow: they always take this path.
                boolean far = t < Long.MIN_VALUE + 2 * chunkRange || t > Long.MAX_VALUE - 2 * chunkRange;
                openEnd = far ? Long.MIN_VALUE : Math.floorDiv(t, chunkRange) * chunkRange + chunkRange;
            }
            openAppend(t, v);
            return Outcome.ADDED;
        }
        Double existing = valueAt(t);
        if (existing != null) {
            return Double.doubleToRawLongBits(existing) == Double.doubleToRawLongBits(v)
                    ? Outcome.SAME
                    : Outcome.DUPLICATE;
        }
        if (outOfOrder == null) {
            outOfOrder = new TreeMap<>();
        }
        outOfOrder.put(t, v);
        return Outcome.ADDED;
    }

    private Double valueAt(long t) {
        if (outOfOrder != null && outOfOrder.containsKey(t)) {
            return outOfOrder.get(t);
        }
        for (int i = openSize() - 1; i >= 0; i--) {
            if (openTimestamp(i) == t) {
                return openValue(i);
            }
            if (openTimestamp(i) < t) {
                return null;
            }
        }
        for (int c = chunks.size() - 1; c >= 0; c--) {
            Chunk chunk = chunks.get(c);
            if (chunk.maxTime() < t) {
                return null;
            }
            if (chunk.minTime() <= t) {
                SampleIterator it = chunk.iterator();
                while (it.next()) {
                    if (it.timestamp() == t) {
                        return it.value();
                    }
                }
            }
        }
        return null;
    }

    /** Appends this series' samples in {@code [mint, maxt]} in timestamp order to the buffer. */
    void collect(long mint, long maxt, SampleBuffer out) {
        SampleBuffer inOrder = outOfOrder == null || outOfOrder.isEmpty() ? out : new SampleBuffer();
        for (Chunk chunk : chunks) {
            if (chunk.maxTime() >= mint && chunk.minTime() <= maxt) {
                inOrder.addRange(chunk.iterator(), mint, maxt);
            }
        }
        for (int i = 0; i < openSize(); i++) {
            long t = openTimestamp(i);
            if (t >= mint && t <= maxt) {
                inOrder.add(t, openValue(i));
            }
        }
        if (inOrder != out) {
            out.addMerged(inOrder, outOfOrder.subMap(mint, true, maxt, true));
        }
    }

    boolean hasSamplesIn(long mint, long maxt) {
        SampleBuffer buffer = new SampleBuffer();
        collect(mint, maxt, buffer);
        return buffer.size() > 0;
    }

    /**
     * This series' samples before {@code before}, for a block cut encoded outside the tenant's lock:
     * closed chunks are immutable and shared, the open chunk and out-of-order samples are copied.
     */
    HeadCut.FrozenSeries freeze(long before) {
        List<Chunk> closed = new ArrayList<>();
        for (Chunk chunk : chunks) {
            if (chunk.minTime() >= before) {
                break;
            }
            closed.add(chunk);
        }
        int n = openSize() > 0 && openMinTime() < before ? openSize() : 0;
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = openTimestamp(i);
            vs[i] = openValue(i);
        }
        TreeMap<Long, Double> late =
                outOfOrder == null || outOfOrder.isEmpty() ? null : new TreeMap<>(outOfOrder.headMap(before, false));
        return new HeadCut.FrozenSeries(labels, closed, ts, vs, late);
    }

    /** Drops everything before {@code time}; the caller has persisted it in a block. */
    void dropBefore(long time) {
        chunks.removeIf(c -> c.maxTime() < time);
        if (openSize() > 0 && openMaxTime() < time) {
            cutOpen();
        }
        if (outOfOrder != null) {
            outOfOrder.headMap(time, false).clear();
        }
    }

    int outOfOrderCount() {
        return outOfOrder == null ? 0 : outOfOrder.size();
    }
}
