package dev.nightjar.sensors.export;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects OTLP metrics by name: cumulative sums, gauges and explicit-bucket histograms.
 *
 * <p>A cumulative series appears with its first increment, often with all of a short burst in it
 * (a benchmark client that ran for a second between two exports). A backend's {@code increase()}
 * needs two samples to see any of it, and with one sample, or a flat series after it, it sees none:
 * the service map showed such a client with no requests. So a series exported for the first time
 * also gets a zero point at the previous export's time, when it was (truly) still absent. Only
 * from the second export on: the first export's counters may include what happened before the
 * sensor started (a connection's bytes since it opened), which is not an increase of that moment.
 */
final class MetricsBuilder {

    private final long startNanos;
    private final long nowNanos;
    private final long previousNanos;
    private final SeriesSeen seen;
    private final Map<String, Metric.Builder> metrics = new LinkedHashMap<>();

    /** Without zero points for new series. */
    MetricsBuilder(long startEpochNanos, long nowEpochNanos) {
        this(startEpochNanos, 0, nowEpochNanos, null);
    }

    /**
     * {@code previousEpochNanos}: the previous export's time, 0 for the first export (no zero
     * points); {@code seen}: the series exported so far, updated here.
     */
    MetricsBuilder(long startEpochNanos, long previousEpochNanos, long nowEpochNanos, SeriesSeen seen) {
        this.startNanos = startEpochNanos;
        this.previousNanos = previousEpochNanos;
        this.nowNanos = nowEpochNanos;
        this.seen = seen;
    }

    /** Whether this series is exported for the first time and needs its zero point first. */
    private boolean firstTime(String name, List<KeyValue> attributes) {
        if (seen == null) {
            return false;
        }
        long hash = ((long) name.hashCode() << 32)
                ^ (attributes.hashCode() & 0xffffffffL)
                ^ ((long) attributes.size() << 56);
        return seen.add(hash) && previousNanos > 0 && previousNanos < nowNanos;
    }

    void counter(String name, String unit, String description, long value, Attr... attributes) {
        if (value == 0) {
            return; // absent series stay absent; a counter appears with its first increment
        }
        Metric.Builder m = metrics.computeIfAbsent(
                name,
                n -> Metric.newBuilder()
                        .setName(n)
                        .setUnit(unit)
                        .setDescription(description)
                        .setSum(Sum.newBuilder()
                                .setIsMonotonic(true)
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)));
        NumberDataPoint.Builder p = point(attributes).setAsInt(value);
        if (firstTime(name, p.getAttributesList())) {
            m.getSumBuilder()
                    .addDataPoints(p.clone().setTimeUnixNano(previousNanos).setAsInt(0));
        }
        m.getSumBuilder().addDataPoints(p);
    }

    void counter(String name, String unit, String description, double value, Attr... attributes) {
        if (value == 0) {
            return;
        }
        Metric.Builder m = metrics.computeIfAbsent(
                name,
                n -> Metric.newBuilder()
                        .setName(n)
                        .setUnit(unit)
                        .setDescription(description)
                        .setSum(Sum.newBuilder()
                                .setIsMonotonic(true)
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)));
        NumberDataPoint.Builder p = point(attributes).setAsDouble(value);
        if (firstTime(name, p.getAttributesList())) {
            m.getSumBuilder()
                    .addDataPoints(p.clone().setTimeUnixNano(previousNanos).setAsDouble(0));
        }
        m.getSumBuilder().addDataPoints(p);
    }

    void gauge(String name, String unit, String description, long value, Attr... attributes) {
        Metric.Builder m = metrics.computeIfAbsent(
                name,
                n -> Metric.newBuilder()
                        .setName(n)
                        .setUnit(unit)
                        .setDescription(description)
                        .setGauge(Gauge.newBuilder()));
        m.getGaugeBuilder().addDataPoints(point(attributes).setAsInt(value));
    }

    void histogram(
            String name,
            String unit,
            String description,
            double[] bounds,
            long[] buckets,
            double sum,
            Attr... attributes) {
        long count = 0;
        for (long b : buckets) {
            count += b;
        }
        HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(startNanos)
                .setTimeUnixNano(nowNanos)
                .setCount(count)
                .setSum(sum)
                .addAllAttributes(keyValues(attributes));
        for (double bound : bounds) {
            p.addExplicitBounds(bound);
        }
        for (long bucket : buckets) {
            p.addBucketCounts(bucket);
        }
        Metric.Builder m = metrics.computeIfAbsent(
                name,
                n -> Metric.newBuilder()
                        .setName(n)
                        .setUnit(unit)
                        .setDescription(description)
                        .setHistogram(Histogram.newBuilder()
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)));
        if (firstTime(name, p.getAttributesList())) {
            HistogramDataPoint.Builder zero = p.clone()
                    .setTimeUnixNano(previousNanos)
                    .setCount(0)
                    .setSum(0)
                    .clearBucketCounts();
            for (int i = 0; i < buckets.length; i++) {
                zero.addBucketCounts(0);
            }
            m.getHistogramBuilder().addDataPoints(zero);
        }
        m.getHistogramBuilder().addDataPoints(p);
    }

    List<Metric> build() {
        List<Metric> out = new ArrayList<>();
        metrics.values().forEach(m -> out.add(m.build()));
        return out;
    }

    private NumberDataPoint.Builder point(Attr... attributes) {
        return NumberDataPoint.newBuilder()
                .setStartTimeUnixNano(startNanos)
                .setTimeUnixNano(nowNanos)
                .addAllAttributes(keyValues(attributes));
    }

    static List<KeyValue> keyValues(Attr... attributes) {
        List<KeyValue> out = new ArrayList<>(attributes.length);
        for (Attr a : attributes) {
            if (a.value() == null || (a.value() instanceof String s && s.isEmpty())) {
                continue;
            }
            AnyValue value = a.value() instanceof Long l
                    ? AnyValue.newBuilder().setIntValue(l).build()
                    : AnyValue.newBuilder().setStringValue(a.value().toString()).build();
            out.add(KeyValue.newBuilder().setKey(a.key()).setValue(value).build());
        }
        return out;
    }

    /** One attribute; empty strings and nulls are left out. */
    record Attr(String key, Object value) {
        static Attr of(String key, String value) {
            return new Attr(key, value);
        }

        static Attr of(String key, long value) {
            return new Attr(key, value);
        }
    }
}
