package dev.nightjar.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.StaleMarker;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMetricsTranslatorTest {
    private static final long T = 1_700_000_000_123_000_000L;
    private static final long MS = 1_700_000_000_123L;

    @Test
    void namesFollowTheOtelToPrometheusRules() {
        assertThat(PrometheusNames.metricName("http.server.request.duration", "s", false, false))
                .isEqualTo("http_server_request_duration_seconds");
        assertThat(PrometheusNames.metricName("http.server.requests", "{request}", false, true))
                .isEqualTo("http_server_requests_total");
        assertThat(PrometheusNames.metricName("system.network.io", "By", false, true))
                .isEqualTo("system_network_io_bytes_total");
        assertThat(PrometheusNames.metricName("throughput", "By/s", true, false))
                .isEqualTo("throughput_bytes_per_second");
        assertThat(PrometheusNames.metricName("cpu.utilization", "1", true, false))
                .isEqualTo("cpu_utilization_ratio");
        assertThat(PrometheusNames.metricName("requests_total", "", false, true))
                .isEqualTo("requests_total");
        assertThat(PrometheusNames.metricName("2xx-responses", "", true, false)).isEqualTo("_2xx_responses");
        assertThat(PrometheusNames.metricName("latency", "ms", true, false)).isEqualTo("latency_milliseconds");
        assertThat(PrometheusNames.labelName("http.method")).isEqualTo("http_method");
        assertThat(PrometheusNames.labelName("0day")).isEqualTo("key_0day");
        assertThat(PrometheusNames.labelName("k8s.pod/name")).isEqualTo("k8s_pod_name");
    }

    @Test
    void gaugesAndCumulativeCountersGetJobInstanceAndTargetInfo() {
        Metric gauge = Metric.newBuilder()
                .setName("queue.depth")
                .setDescription("Items waiting")
                .setGauge(Gauge.newBuilder().addDataPoints(number(7).addAttributes(kv("queue.name", "orders"))))
                .build();
        Metric counter = Metric.newBuilder()
                .setName("http.server.requests")
                .setUnit("{request}")
                .setSum(Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(
                                NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(42)))
                .build();

        var t = OtlpMetricsTranslator.translate(request(gauge, counter));

        assertThat(t.rejectedPoints()).isZero();
        assertThat(series(t))
                .containsOnly(
                        Map.entry(
                                Labels.of(
                                        "__name__",
                                        "queue_depth",
                                        "queue_name",
                                        "orders",
                                        "job",
                                        "shop/checkout",
                                        "instance",
                                        "pod-1"),
                                List.of(new Sample(MS, 7))),
                        Map.entry(
                                Labels.of(
                                        "__name__",
                                        "http_server_requests_total",
                                        "job",
                                        "shop/checkout",
                                        "instance",
                                        "pod-1"),
                                List.of(new Sample(MS, 42))),
                        Map.entry(
                                Labels.of(
                                        "__name__",
                                        "target_info",
                                        "job",
                                        "shop/checkout",
                                        "instance",
                                        "pod-1",
                                        "host_name",
                                        "node-a"),
                                List.of(new Sample(MS, 1))));
        assertThat(t.batch().metadata())
                .contains(new MetricMetadata("queue_depth", MetricType.GAUGE, "Items waiting", ""))
                .contains(new MetricMetadata("http_server_requests_total", MetricType.COUNTER, "", "{request}"));
    }

    @Test
    void histogramsBecomeCumulativeBucketsSumAndCount() {
        Metric h = Metric.newBuilder()
                .setName("rpc.duration")
                .setUnit("s")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setTimeUnixNano(T)
                                .setCount(10)
                                .setSum(3.5)
                                .addAllExplicitBounds(List.of(0.1, 1.0))
                                .addAllBucketCounts(List.of(2L, 5L, 3L))))
                .build();

        Map<Labels, List<Sample>> s = series(OtlpMetricsTranslator.translate(request(h)));

        assertThat(value(s, "rpc_duration_seconds_bucket", "le", "0.1")).isEqualTo(2);
        assertThat(value(s, "rpc_duration_seconds_bucket", "le", "1")).isEqualTo(7);
        assertThat(value(s, "rpc_duration_seconds_bucket", "le", "+Inf")).isEqualTo(10);
        assertThat(value(s, "rpc_duration_seconds_sum", null, null)).isEqualTo(3.5);
        assertThat(value(s, "rpc_duration_seconds_count", null, null)).isEqualTo(10);
    }

    @Test
    void exponentialHistogramsBecomeBucketsAtTheirExactBoundaries() {
        // scale 0: base 2; positive offset 0 → buckets (1,2], (2,4]; negative offset 0 → [-2,-1)
        Metric h = Metric.newBuilder()
                .setName("size")
                .setUnit("By")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                .setTimeUnixNano(T)
                                .setScale(0)
                                .setCount(7)
                                .setSum(9)
                                .setZeroCount(1)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(0)
                                        .addAllBucketCounts(List.of(2L, 3L)))
                                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(0)
                                        .addBucketCounts(1L))))
                .build();

        Map<Labels, List<Sample>> s = series(OtlpMetricsTranslator.translate(request(h)));

        assertThat(value(s, "size_bytes_bucket", "le", "-1")).isEqualTo(1);
        assertThat(value(s, "size_bytes_bucket", "le", "0")).isEqualTo(2);
        assertThat(value(s, "size_bytes_bucket", "le", "2")).isEqualTo(4);
        assertThat(value(s, "size_bytes_bucket", "le", "4")).isEqualTo(7);
        assertThat(value(s, "size_bytes_bucket", "le", "+Inf")).isEqualTo(7);
        assertThat(value(s, "size_bytes_count", null, null)).isEqualTo(7);
        assertThat(value(s, "size_bytes_sum", null, null)).isEqualTo(9);
    }

    @Test
    void summariesGetQuantileLabels() {
        Metric m = Metric.newBuilder()
                .setName("gc.pause")
                .setUnit("ms")
                .setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder()
                                .setTimeUnixNano(T)
                                .setCount(4)
                                .setSum(20)
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(0.99)
                                        .setValue(12))))
                .build();

        Map<Labels, List<Sample>> s = series(OtlpMetricsTranslator.translate(request(m)));

        assertThat(value(s, "gc_pause_milliseconds", "quantile", "0.99")).isEqualTo(12);
        assertThat(value(s, "gc_pause_milliseconds_sum", null, null)).isEqualTo(20);
        assertThat(value(s, "gc_pause_milliseconds_count", null, null)).isEqualTo(4);
    }

    @Test
    void deltaSumsAreRefusedWithAReasonAndNoRecordedValueIsAStaleMarker() {
        Metric delta = Metric.newBuilder()
                .setName("events")
                .setSum(Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(number(1))
                        .addDataPoints(number(2)))
                .build();
        Metric gone = Metric.newBuilder()
                .setName("temp")
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(
                                number(0).setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE)))
                .build();

        var t = OtlpMetricsTranslator.translate(request(delta, gone));

        assertThat(t.rejectedPoints()).isEqualTo(2);
        assertThat(t.errors()).singleElement().asString().contains("events").contains("cumulative temporality");
        double v = value(series(t), "temp", null, null);
        assertThat(StaleMarker.isStale(v)).isTrue();
    }

    @Test
    void hostileNamesAndOversizedValuesAreRefusedNotStored() {
        Metric m = Metric.newBuilder()
                .setName("ok")
                .setGauge(Gauge.newBuilder().addDataPoints(number(1).addAttributes(kv("big", "x".repeat(10_000)))))
                .build();

        var t = OtlpMetricsTranslator.translate(request(m));

        assertThat(t.batch().series()).noneMatch(s -> s.labels().metricName().equals("ok"));
        assertThat(t.rejectedPoints()).isEqualTo(1);
        assertThat(t.errors().getFirst()).contains("longer than 4096");
    }

    private static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", "checkout"))
                                .addAttributes(kv("service.namespace", "shop"))
                                .addAttributes(kv("service.instance.id", "pod-1"))
                                .addAttributes(kv("host.name", "node-a")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(metrics))))
                .build();
    }

    private static NumberDataPoint.Builder number(double v) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(v);
    }

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    private static Map<Labels, List<Sample>> series(OtlpMetricsTranslator.Translation t) {
        Map<Labels, List<Sample>> out = new LinkedHashMap<>();
        for (SeriesSamples s : t.batch().series()) {
            out.put(s.labels(), s.samples());
        }
        return out;
    }

    private static double value(Map<Labels, List<Sample>> s, String name, String label, String labelValue) {
        return s.entrySet().stream()
                .filter(e -> e.getKey().metricName().equals(name))
                .filter(e -> label == null || e.getKey().get(label).equals(labelValue))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no series " + name + " " + label + "=" + labelValue + " in " + s.keySet()))
                .getValue()
                .getFirst()
                .value();
    }
}
