package dev.nightjar.ingest.metrics;

import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.SeriesValidation;
import dev.nightjar.core.metrics.StaleMarker;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates OTLP metrics into Prometheus series following the OpenTelemetry-to-Prometheus compatibility
 * rules: sanitised names with unit suffixes and {@code _total}; histograms as {@code _bucket{le}},
 * {@code _sum}, {@code _count}; summaries as {@code {quantile}}, {@code _sum}, {@code _count}; resource
 * attributes {@code service.namespace/service.name} → {@code job}, {@code service.instance.id} →
 * {@code instance}, the rest on a {@code target_info} series.
 *
 * <p>Exponential histograms become classic buckets at their exact bucket boundaries (the store holds float
 * samples only). Delta temporality is refused per metric, as Prometheus does: turning deltas into
 * counters needs per-series state the receiver does not keep.
 */
public final class OtlpMetricsTranslator {

    /**
     * What came of one request: the batch to store, and the points refused with one reason each. {@code
     * pointTimes} and {@code pointSamples} describe the translated points (timestamp, samples made), so
     * samples the store refuses can be reported as points.
     */
    public record Translation(
            MetricsBatch batch, long rejectedPoints, List<String> errors, long[] pointTimes, int[] pointSamples) {

        /**
         * The points that refused samples belong to. The store refuses as too old every sample before one
         * threshold time, and all samples of a point share its timestamp, so the too-old samples are the
         * samples of the oldest points: counting points from the oldest until their samples add up is
         * exact. A duplicate (same timestamp, other value) is counted as one point per refused sample, at
         * most the points left, which is exact when every point is one sample (gauges, sums).
         */
        public long pointsOfRefusedSamples(AppendResult result) {
            if (result.rejected() == 0) {
                return 0;
            }
            Integer[] order = new Integer[pointTimes.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Long.compare(pointTimes[a], pointTimes[b]));
            long samples = 0;
            long points = 0;
            for (int i = 0; i < order.length && samples < result.tooOld(); i++) {
                samples += pointSamples[order[i]];
                points++;
            }
            return points + Math.min(result.duplicates(), pointTimes.length - points);
        }
    }

    private static final int MAX_ERRORS = 10;

    private OtlpMetricsTranslator() {}

    public static Translation translate(ExportMetricsServiceRequest request) {
        Builder out = new Builder();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            Map<String, String> resource =
                    OtlpMetricLabels.attributes(rm.getResource().getAttributesList());
            Map<String, String> target = OtlpMetricLabels.targetLabels(resource);
            long newest = Long.MIN_VALUE;
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric metric : sm.getMetricsList()) {
                    try {
                        newest = Math.max(newest, translate(metric, target, out));
                    } catch (IllegalArgumentException e) {
                        out.reject(points(metric), "metric \"" + inert(metric.getName()) + "\": " + e.getMessage());
                    }
                }
            }
            if (newest != Long.MIN_VALUE && OtlpMetricLabels.hasInfo(resource)) {
                Map<String, String> info = new TreeMap<>(target);
                resource.forEach((k, v) -> {
                    if (!k.equals("service.name")
                            && !k.equals("service.namespace")
                            && !k.equals("service.instance.id")) {
                        info.putIfAbsent(PrometheusNames.labelName(k), v);
                    }
                });
                info.put(Labels.METRIC_NAME, "target_info");
                long time = newest;
                if (out.point(null, () -> {
                            out.add(info, time, 1);
                            return time;
                        })
                        != Long.MIN_VALUE) {
                    out.meta("target_info", MetricType.GAUGE, "Target metadata", "");
                }
            }
        }
        return out.build();
    }

    /** Adds one metric's points; returns the newest timestamp seen. */
    private static long translate(Metric metric, Map<String, String> target, Builder out) {
        long newest = Long.MIN_VALUE;
        String unit = metric.getUnit();
        switch (metric.getDataCase()) {
            case GAUGE -> {
                String name = PrometheusNames.metricName(metric.getName(), unit, true, false);
                out.meta(name, MetricType.GAUGE, metric.getDescription(), unit);
                for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                    newest = Math.max(newest, out.point(metric, () -> number(name, p, target, out)));
                }
            }
            case SUM -> {
                var sum = metric.getSum();
                if (sum.getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
                    throw new IllegalArgumentException("delta (or unspecified) temporality is not supported for sums;"
                            + " configure the exporter for cumulative temporality");
                }
                boolean counter = sum.getIsMonotonic();
                String name = PrometheusNames.metricName(metric.getName(), unit, !counter, counter);
                out.meta(name, counter ? MetricType.COUNTER : MetricType.GAUGE, metric.getDescription(), unit);
                for (NumberDataPoint p : sum.getDataPointsList()) {
                    newest = Math.max(newest, out.point(metric, () -> number(name, p, target, out)));
                }
            }
            case HISTOGRAM -> {
                var h = metric.getHistogram();
                if (h.getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
                    throw new IllegalArgumentException("delta (or unspecified) temporality is not supported for "
                            + "histograms; configure the exporter for cumulative temporality");
                }
                String name = PrometheusNames.metricName(metric.getName(), unit, false, false);
                out.meta(name, MetricType.HISTOGRAM, metric.getDescription(), unit);
                for (HistogramDataPoint p : h.getDataPointsList()) {
                    newest = Math.max(newest, out.point(metric, () -> histogram(name, p, target, out)));
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                var h = metric.getExponentialHistogram();
                if (h.getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
                    throw new IllegalArgumentException("delta (or unspecified) temporality is not supported for "
                            + "exponential histograms; configure the exporter for cumulative temporality");
                }
                String name = PrometheusNames.metricName(metric.getName(), unit, false, false);
                out.meta(name, MetricType.HISTOGRAM, metric.getDescription(), unit);
                for (ExponentialHistogramDataPoint p : h.getDataPointsList()) {
                    newest = Math.max(newest, out.point(metric, () -> exponential(name, p, target, out)));
                }
            }
            case SUMMARY -> {
                String name = PrometheusNames.metricName(metric.getName(), unit, false, false);
                out.meta(name, MetricType.SUMMARY, metric.getDescription(), unit);
                for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
                    newest = Math.max(newest, out.point(metric, () -> summary(name, p, target, out)));
                }
            }
            default -> throw new IllegalArgumentException("metric has no data");
        }
        return newest;
    }

    private static long number(String name, NumberDataPoint p, Map<String, String> target, Builder out) {
        long t = millis(p.getTimeUnixNano());
        double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
        out.add(
                OtlpMetricLabels.labels(name, p.getAttributesList(), target),
                t,
                stale(p.getFlags()) ? StaleMarker.VALUE : v);
        return t;
    }

    private static long histogram(String name, HistogramDataPoint p, Map<String, String> target, Builder out) {
        long t = millis(p.getTimeUnixNano());
        boolean stale = stale(p.getFlags());
        Map<String, String> base = OtlpMetricLabels.labels(name, p.getAttributesList(), target);
        long cumulative = 0;
        int bounds = p.getExplicitBoundsCount();
        for (int i = 0; i < bounds && i < p.getBucketCountsCount(); i++) {
            cumulative += p.getBucketCounts(i);
            out.add(
                    OtlpMetricLabels.bucket(base, name, OtlpMetricLabels.formatBound(p.getExplicitBounds(i))),
                    t,
                    stale ? StaleMarker.VALUE : cumulative);
        }
        out.add(OtlpMetricLabels.bucket(base, name, "+Inf"), t, stale ? StaleMarker.VALUE : p.getCount());
        if (p.hasSum()) {
            out.add(OtlpMetricLabels.renamed(base, name + "_sum"), t, stale ? StaleMarker.VALUE : p.getSum());
        }
        out.add(OtlpMetricLabels.renamed(base, name + "_count"), t, stale ? StaleMarker.VALUE : p.getCount());
        return t;
    }

    /**
     * Bucket i of scale s covers (base^i, base^(i+1)] with base = 2^(2^-s); negative buckets mirror them
     * below zero, and the zero bucket sits between. Cumulated from the most negative upwards.
     */
    private static long exponential(
            String name, ExponentialHistogramDataPoint p, Map<String, String> target, Builder out) {
        long t = millis(p.getTimeUnixNano());
        boolean stale = stale(p.getFlags());
        Map<String, String> base = OtlpMetricLabels.labels(name, p.getAttributesList(), target);
        if (p.getPositive().getBucketCountsCount() + p.getNegative().getBucketCountsCount() > 1_000) {
            throw new IllegalArgumentException("exponential histogram with more than 1000 buckets");
        }
        long cumulative = 0;
        var neg = p.getNegative();
        for (int i = neg.getBucketCountsCount() - 1; i >= 0; i--) {
            cumulative += neg.getBucketCounts(i);
            double upper = -bound(p.getScale(), neg.getOffset() + i);
            out.add(
                    OtlpMetricLabels.bucket(base, name, OtlpMetricLabels.formatBound(upper)),
                    t,
                    stale ? StaleMarker.VALUE : cumulative);
        }
        cumulative += p.getZeroCount();
        out.add(
                OtlpMetricLabels.bucket(base, name, OtlpMetricLabels.formatBound(p.getZeroThreshold())),
                t,
                stale ? StaleMarker.VALUE : cumulative);
        var pos = p.getPositive();
        for (int i = 0; i < pos.getBucketCountsCount(); i++) {
            cumulative += pos.getBucketCounts(i);
            double upper = bound(p.getScale(), pos.getOffset() + i + 1);
            out.add(
                    OtlpMetricLabels.bucket(base, name, OtlpMetricLabels.formatBound(upper)),
                    t,
                    stale ? StaleMarker.VALUE : cumulative);
        }
        out.add(OtlpMetricLabels.bucket(base, name, "+Inf"), t, stale ? StaleMarker.VALUE : p.getCount());
        if (p.hasSum()) {
            out.add(OtlpMetricLabels.renamed(base, name + "_sum"), t, stale ? StaleMarker.VALUE : p.getSum());
        }
        out.add(OtlpMetricLabels.renamed(base, name + "_count"), t, stale ? StaleMarker.VALUE : p.getCount());
        return t;
    }

    /**
     * base^index with base = 2^(2^-scale), computed as 2^(index * 2^-scale): the exponent is exact in a
     * double, so bounds that are powers of two come out exact (1, 2, 4, ...), as Prometheus prints them.
     */
    private static double bound(int scale, long index) {
        return Math.pow(2, Math.scalb((double) index, -scale));
    }

    private static long summary(String name, SummaryDataPoint p, Map<String, String> target, Builder out) {
        long t = millis(p.getTimeUnixNano());
        boolean stale = stale(p.getFlags());
        Map<String, String> base = OtlpMetricLabels.labels(name, p.getAttributesList(), target);
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            Map<String, String> l = new TreeMap<>(base);
            l.put("quantile", OtlpMetricLabels.formatBound(q.getQuantile()));
            out.add(l, t, stale ? StaleMarker.VALUE : q.getValue());
        }
        out.add(OtlpMetricLabels.renamed(base, name + "_sum"), t, stale ? StaleMarker.VALUE : p.getSum());
        out.add(OtlpMetricLabels.renamed(base, name + "_count"), t, stale ? StaleMarker.VALUE : p.getCount());
        return t;
    }

    private static boolean stale(int flags) {
        return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static long points(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 0;
        };
    }

    private static String inert(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** One point's translation: adds its samples and returns its timestamp. */
    @FunctionalInterface
    private interface PointWriter {
        long write();
    }

    /**
     * Collects samples per series (one series may get several points) and metadata per family. A point's
     * samples are staged and only kept when the whole point translated, so a refused point is counted
     * once and leaves nothing behind.
     */
    private static final class Builder {
        private final Map<Labels, List<Sample>> series = new LinkedHashMap<>();
        private final Map<String, MetricMetadata> metadata = new TreeMap<>();
        private final List<String> errors = new ArrayList<>();
        private final List<Labels> stagedLabels = new ArrayList<>();
        private final List<Sample> stagedSamples = new ArrayList<>();
        private long[] pointTimes = new long[16];
        private int[] pointSamples = new int[16];
        private int points;
        private long rejected;

        /** Runs one point's translation; returns its timestamp, or {@code Long.MIN_VALUE} when refused. */
        long point(Metric metric, PointWriter writer) {
            stagedLabels.clear();
            stagedSamples.clear();
            long t;
            try {
                t = writer.write();
            } catch (IllegalArgumentException e) {
                String what = metric == null ? "target_info" : "metric \"" + inert(metric.getName()) + "\"";
                reject(1, what + ": " + e.getMessage());
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < stagedLabels.size(); i++) {
                series.computeIfAbsent(stagedLabels.get(i), k -> new ArrayList<>())
                        .add(stagedSamples.get(i));
            }
            if (points == pointTimes.length) {
                pointTimes = java.util.Arrays.copyOf(pointTimes, points * 2);
                pointSamples = java.util.Arrays.copyOf(pointSamples, points * 2);
            }
            pointTimes[points] = t;
            pointSamples[points++] = stagedLabels.size();
            return t;
        }

        void add(Map<String, String> labels, long t, double v) {
            Labels l = Labels.from(labels);
            SeriesValidation.check(l);
            stagedLabels.add(l);
            stagedSamples.add(new Sample(t, v));
        }

        void meta(String family, MetricType type, String help, String unit) {
            try {
                String shortHelp = help.length() > MetricMetadata.MAX_HELP_LENGTH
                        ? help.substring(0, MetricMetadata.MAX_HELP_LENGTH)
                        : help;
                metadata.putIfAbsent(family, new MetricMetadata(family, type, shortHelp, unit));
            } catch (IllegalArgumentException ignored) {
                // metadata is advisory; the samples still count
            }
        }

        void reject(long points, String why) {
            rejected += Math.max(points, 1);
            if (errors.size() < MAX_ERRORS) {
                errors.add(why);
            }
        }

        Translation build() {
            List<SeriesSamples> list = new ArrayList<>(series.size());
            series.forEach((l, s) -> list.add(new SeriesSamples(l, s)));
            return new Translation(
                    new MetricsBatch(list, new ArrayList<>(metadata.values())),
                    rejected,
                    errors,
                    java.util.Arrays.copyOf(pointTimes, points),
                    java.util.Arrays.copyOf(pointSamples, points));
        }
    }
}
