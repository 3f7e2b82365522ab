package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One write's pass over the head, under the tenant's write lock. The per-sample path is a few small
 * methods (the JIT keeps them compiled when a rare branch is first taken elsewhere); sorting an
 * out-of-order run and creating a series are apart. The accepted samples are only noted (per series a
 * slice of the write's columns, and the rare duplicates inside it); {@link #encode} turns them into the
 * WAL record after the write lock is released.
 */
final class HeadAppend {

    private final Head head;
    private final long minValid;
    private final int sampleCount;
    private final List<Run> runs = new ArrayList<>();
    final List<WalRecord.SeriesRef> created = new ArrayList<>();
    long accepted;
    long tooOld;
    long duplicates;
    /** The newest accepted timestamp (the WAL keeps it per segment, to know when a segment can go). */
    long newest = Long.MIN_VALUE;

    /** A series' samples {@code [from, to)} of {@code ts}/{@code vs}, but the duplicates (offsets from {@code from}). */
    private record Run(int id, long[] ts, double[] vs, int from, int to, BitSet duplicates) {}

    HeadAppend(Head head, long minValid, MetricsColumns columns) {
        this.head = head;
        this.minValid = minValid;
        this.sampleCount = columns.sampleCount();
    }

    boolean hasSamples() {
        return !runs.isEmpty();
    }

    /**
     * The WAL record of the accepted samples, one run per series, in {@code encoder} (reset first) or,
     * for a huge write, in an encoder of its own, which is returned. The columns must be unchanged since
     * the append.
     */
    WalSampleRuns encode(WalSampleRuns encoder) {
        WalSampleRuns wal = encoder.reset(runs.size(), sampleCount);
        for (Run r : runs) {
            wal.begin(r.id);
            for (int k = r.from; k < r.to; k++) {
                if (r.duplicates == null || !r.duplicates.get(k - r.from)) {
                    wal.add(r.ts[k], r.vs[k]);
                }
            }
            wal.end();
        }
        return wal;
    }

    /**
     * Appends series {@code i} of the columns; {@code series} is its head series when it existed before
     * this write, else null.
     */
    void series(MetricsColumns columns, int i, HeadSeries series) {
        int from = columns.offsets()[i];
        int to = columns.offsets()[i + 1];
        if (from == to) {
            return;
        }
        if (columns.inOrder(i)) {
            run(series, columns.series().get(i), columns.timestamps(), columns.values(), from, to);
        } else {
            sortedRun(series, columns.series().get(i), columns.timestamps(), columns.values(), from, to);
        }
    }

    /** A run out of timestamp order is appended from a stable-sorted copy (first of equal times wins). */
    private void sortedRun(HeadSeries series, Labels labels, long[] ts, double[] vs, int from, int to) {
        int n = to - from;
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = from + k;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b]));
        long[] sortedTs = new long[n];
        double[] sortedVs = new double[n];
        for (int k = 0; k < n; k++) {
            sortedTs[k] = ts[order[k]];
            sortedVs[k] = vs[order[k]];
        }
        run(series, labels, sortedTs, sortedVs, 0, n);
    }

    /** Appends {@code [from, to)}, which is in non-decreasing timestamp order. */
    private void run(HeadSeries series, Labels labels, long[] ts, double[] vs, int from, int to) {
        int k = from;
        while (k < to && ts[k] < minValid) {
            k++;
        }
        tooOld += k - from;
        if (k == to) {
            return;
        }
        HeadSeries s = series != null ? series : lookUpOrCreate(labels);
        // Sorted: the first sample kept is the run's oldest, the last accepted its newest.
        head.appended(ts[k]);
        int start = k;
        int kept = 0;
        BitSet dups = null;
        long newest = Long.MIN_VALUE;
        for (; k < to; k++) {
            if (s.append(ts[k], vs[k]) == HeadSeries.Outcome.DUPLICATE) {
                duplicates++;
                if (dups == null) {
                    dups = new BitSet();
                }
                dups.set(k - start);
            } else {
                // A retried sample (same value) is logged again: its first write may not be durable.
                kept++;
                newest = ts[k];
            }
        }
        accepted += kept;
        if (kept > 0) {
            runs.add(new Run(s.id, ts, vs, start, to, dups));
        }
        if (newest > head.maxTime) {
            head.maxTime = newest;
        }
        if (newest > this.newest) {
            this.newest = newest;
        }
    }

    /** A series new before this write; an earlier entry of the same write may have created it already. */
    private HeadSeries lookUpOrCreate(Labels labels) {
        HeadSeries s = head.get(labels);
        if (s == null) {
            s = head.create(labels);
            created.add(new WalRecord.SeriesRef(s.id, s.labels));
        }
        return s;
    }
}
