package dev.nightjar.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One write in primitive columns: the same content as a {@link MetricsBatch}, without an object per
 * sample. Series {@code i} owns the samples at indexes {@code [offsets[i], offsets[i + 1])} of
 * {@code timestamps} and {@code values}, in any order. Wire-format receivers fill these arrays
 * straight from the request bytes; the arrays are handed over, not copied, so the caller must not
 * change them while the store's append runs. A store copies what it keeps, so a receiver may reuse
 * the arrays once the append has returned.
 *
 * @param series the labels of each series (a series may appear more than once)
 * @param offsets {@code series.size() + 1} non-decreasing sample indexes, starting at 0
 * @param timestamps milliseconds since the epoch, at least {@code offsets[series.size()]} of them
 * @param values sample values, at least {@code offsets[series.size()]} of them
 * @param metadata optional metadata for the series' families
 */
public record MetricsColumns(
        List<Labels> series, int[] offsets, long[] timestamps, double[] values, List<MetricMetadata> metadata) {

    public MetricsColumns {
        series = List.copyOf(series);
        metadata = List.copyOf(metadata);
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(values, "values");
        if (offsets.length != series.size() + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("offsets must hold series.size() + 1 indexes starting at 0");
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException("offsets must not decrease");
            }
        }
        int samples = offsets[series.size()];
        if (samples > timestamps.length || samples > values.length) {
            throw new IllegalArgumentException("offsets point past the sample arrays");
        }
    }

    /** The columns of a batch (used where a store has only a column path, and by tests). */
    public static MetricsColumns of(MetricsBatch batch) {
        int n = batch.series().size();
        int total = Math.toIntExact(batch.sampleCount());
        List<Labels> labels = new ArrayList<>(n);
        int[] offsets = new int[n + 1];
        long[] ts = new long[total];
        double[] vs = new double[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            SeriesSamples s = batch.series().get(i);
            labels.add(s.labels());
            for (Sample sample : s.samples()) {
                ts[at] = sample.timestampMs();
                vs[at++] = sample.value();
            }
            offsets[i + 1] = at;
        }
        return new MetricsColumns(labels, offsets, ts, vs, batch.metadata());
    }

    public int seriesCount() {
        return series.size();
    }

    public int sampleCount() {
        return offsets[series.size()];
    }

    /** The same write as a {@link MetricsBatch}: one {@link Sample} per sample. */
    public MetricsBatch toBatch() {
        List<SeriesSamples> list = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            List<Sample> samples = new ArrayList<>(offsets[i + 1] - offsets[i]);
            for (int k = offsets[i]; k < offsets[i + 1]; k++) {
                samples.add(new Sample(timestamps[k], values[k]));
            }
            list.add(new SeriesSamples(series.get(i), samples));
        }
        return new MetricsBatch(list, metadata);
    }

    /** True when series {@code i}'s samples are in non-decreasing timestamp order (the usual case). */
    public boolean inOrder(int i) {
        for (int k = offsets[i] + 1; k < offsets[i + 1]; k++) {
            if (timestamps[k] < timestamps[k - 1]) {
                return false;
            }
        }
        return true;
    }
}
