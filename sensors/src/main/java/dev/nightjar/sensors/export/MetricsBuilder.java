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

/** Collects OTLP metrics by name: cumulative sums, gauges and explicit-bucket histograms. */
final class MetricsBuilder {

    private final long startNanos;
    private final long nowNanos;
    private final Map<String, Metric.Builder> metrics = new LinkedHashMap<>();

    MetricsBuilder(long startEpochNanos, long nowEpochNanos) {
        this.startNanos = startEpochNanos;
        this.nowNanos = nowEpochNanos;
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
        m.getSumBuilder().addDataPoints(point(attributes).setAsInt(value));
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
        m.getSumBuilder().addDataPoints(point(attributes).setAsDouble(value));
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
