package dev.nightjar.ingest.metrics;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricsColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Growing sample columns of one remote_write request; sized from the body, so a small body costs little. */
final class RemoteWriteColumns {
    final List<Labels> series = new ArrayList<>();
    private int[] offsets = new int[64];
    private long[] timestamps;
    private double[] values;
    int samples;

    RemoteWriteColumns(int rawBytes, int maxSamples) {
        // A sample takes about 13 bytes on the wire; a body of mostly labels starts small and grows.
        int guess = Math.max(16, Math.min(maxSamples, rawBytes / 13 + 1));
        timestamps = new long[guess];
        values = new double[guess];
    }

    /** Samples the arrays hold before they grow. */
    int capacity() {
        return timestamps.length;
    }

    void clear() {
        series.clear();
        samples = 0;
    }

    void add(long t, double v) {
        if (samples == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, samples * 2);
            values = Arrays.copyOf(values, samples * 2);
        }
        timestamps[samples] = t;
        values[samples++] = v;
    }

    void endSeries(Labels labels) {
        series.add(labels);
        if (series.size() + 1 > offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[series.size()] = samples;
    }

    MetricsColumns finish(List<MetricMetadata> metadata) {
        return new MetricsColumns(series, Arrays.copyOf(offsets, series.size() + 1), timestamps, values, metadata);
    }
}
