package dev.nightjar.core.metrics;

import java.util.List;

/** One write: samples for some series plus optional metadata for their families. */
public record MetricsBatch(List<SeriesSamples> series, List<MetricMetadata> metadata) {

    public MetricsBatch {
        series = List.copyOf(series);
        metadata = List.copyOf(metadata);
    }

    public static MetricsBatch of(List<SeriesSamples> series) {
        return new MetricsBatch(series, List.of());
    }

    public long sampleCount() {
        long count = 0;
        for (SeriesSamples s : series) {
            count += s.samples().size();
        }
        return count;
    }
}
