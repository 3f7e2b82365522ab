package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.ArraySeries;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.SampleIterator;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/** A growable pair of timestamp/value arrays in ascending timestamp order. */
final class SampleBuffer {

    private long[] ts = new long[16];
    private double[] vs = new double[16];
    private int size;

    int size() {
        return size;
    }

    long timestamp(int i) {
        return ts[i];
    }

    double value(int i) {
        return vs[i];
    }

    /** The backing arrays; valid in {@code [0, size())} until the next add or clear. */
    long[] timestamps() {
        return ts;
    }

    double[] values() {
        return vs;
    }

    /** Empties the buffer, keeping its arrays (cuts and compaction reuse one buffer per series). */
    void clear() {
        size = 0;
    }

    void add(long t, double v) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            vs = Arrays.copyOf(vs, size * 2);
        }
        ts[size] = t;
        vs[size++] = v;
    }

    void addRange(SampleIterator it, long mint, long maxt) {
        while (it.next()) {
            long t = it.timestamp();
            if (t > maxt) {
                return;
            }
            if (t >= mint) {
                add(t, it.value());
            }
        }
    }

    /** Appends the merge of two sorted sources; they never share a timestamp. */
    void addMerged(SampleBuffer sorted, NavigableMap<Long, Double> extra) {
        int i = 0;
        for (Map.Entry<Long, Double> e : extra.entrySet()) {
            while (i < sorted.size && sorted.ts[i] < e.getKey()) {
                add(sorted.ts[i], sorted.vs[i]);
                i++;
            }
            add(e.getKey(), e.getValue());
        }
        for (; i < sorted.size; i++) {
            add(sorted.ts[i], sorted.vs[i]);
        }
    }

    /** Appends another buffer, keeping order and the first value of any repeated timestamp. */
    void addAll(SampleBuffer other) {
        if (size == 0 || other.size == 0 || other.ts[0] > ts[size - 1]) {
            for (int i = 0; i < other.size; i++) {
                add(other.ts[i], other.vs[i]);
            }
            return;
        }
        SampleBuffer merged = new SampleBuffer();
        int i = 0;
        int j = 0;
        while (i < size || j < other.size) {
            if (j >= other.size || (i < size && ts[i] <= other.ts[j])) {
                if (j < other.size && ts[i] == other.ts[j]) {
                    j++;
                }
                merged.add(ts[i], vs[i]);
                i++;
            } else {
                merged.add(other.ts[j], other.vs[j]);
                j++;
            }
        }
        ts = merged.ts;
        vs = merged.vs;
        size = merged.size;
    }

    ArraySeries toSeries(Labels labels) {
        return new ArraySeries(labels, ts, vs, size);
    }
}
