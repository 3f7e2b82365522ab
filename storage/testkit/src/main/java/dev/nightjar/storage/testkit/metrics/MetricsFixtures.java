package dev.nightjar.storage.testkit.metrics;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.SeriesSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Small builders the metrics conformance suites share. */
public final class MetricsFixtures {

    private MetricsFixtures() {}

    public static TenantId newTenant() {
        return TenantId.of(UUID.randomUUID());
    }

    public static MetricsBatch batch(Labels labels, long... timestampsAndValuesTimes1000) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < timestampsAndValuesTimes1000.length; i += 2) {
            samples.add(new Sample(timestampsAndValuesTimes1000[i], timestampsAndValuesTimes1000[i + 1] / 1000.0));
        }
        return MetricsBatch.of(List.of(new SeriesSamples(labels, samples)));
    }

    public static MetricsBatch batch(Labels labels, List<Sample> samples) {
        return MetricsBatch.of(List.of(new SeriesSamples(labels, samples)));
    }

    /** Samples every {@code stepMs} from {@code start}, value = index * scale. */
    public static List<Sample> ramp(long start, long stepMs, int count, double scale) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(new Sample(start + i * stepMs, i * scale));
        }
        return samples;
    }

    public static List<Sample> samplesOf(Series series) {
        List<Sample> out = new ArrayList<>();
        SampleIterator it = series.samples();
        while (it.next()) {
            out.add(new Sample(it.timestamp(), it.value()));
        }
        return out;
    }

    public static List<Labels> labelsOf(List<Series> series) {
        return series.stream().map(Series::labels).toList();
    }

    /** All samples of the single series matching the metric name, or an empty list. */
    public static List<Sample> read(MetricsReader reader, TenantId tenant, String metric, long mint, long maxt) {
        List<Series> series =
                reader.select(tenant, List.of(dev.nightjar.core.metrics.Matcher.metricName(metric)), mint, maxt);
        if (series.isEmpty()) {
            return List.of();
        }
        if (series.size() > 1) {
            throw new AssertionError("expected one series for " + metric + ", got " + series.size());
        }
        return samplesOf(series.getFirst());
    }
}
