package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * OTLP metrics on the dedicated OTLP ports of the packaged server: the official OpenTelemetry Java SDK's
 * gRPC and HTTP metric exporters send a counter, a gauge, a histogram and an exponential histogram, and
 * the exact values come back through the Prometheus query API; OTLP JSON and exact partial success. Hostile
 * requests and the tenant coming only from the key are in {@link OtlpMetricsHostileIT}.
 */
class OtlpMetricsIT extends OtlpMetricsFixture {
    @Test
    void grpcExporterValuesComeBackExactly() {
        MetricExporter exporter = OtlpGrpcMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + grpcPort)
                .addHeader("Authorization", "Bearer " + KEY)
                .build();
        exportAndCheck(exporter, "sdk.grpc", "sdk_grpc", "metrics-it-grpc");
    }

    @Test
    void httpExporterWithGzipValuesComeBackExactly() {
        MetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/metrics")
                .addHeader("Authorization", "Bearer " + KEY)
                .setCompression("gzip")
                .build();
        exportAndCheck(exporter, "sdk.http", "sdk_http", "metrics-it-http");
    }

    /** Records known values through the SDK, exports them once, and reads each one back. */
    private static void exportAndCheck(MetricExporter exporter, String prefix, String name, String service) {
        double[] latencies = {0.05, 0.3, 0.3, 2.0};
        double[] sizes = {1, 2, 4, 8};
        try (SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .registerView(
                        InstrumentSelector.builder().setName(prefix + ".size").build(),
                        View.builder()
                                .setAggregation(Aggregation.base2ExponentialBucketHistogram())
                                .build())
                .registerMetricReader(PeriodicMetricReader.builder(exporter)
                        .setInterval(Duration.ofHours(1))
                        .build())
                .build()) {
            Meter meter = provider.get("metrics-it");
            Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/checkout");
            var counter = meter.counterBuilder(prefix + ".requests").build();
            counter.add(5, route);
            counter.add(7, route);
            meter.gaugeBuilder(prefix + ".temperature").build().set(21.5, route);
            var latency = meter.histogramBuilder(prefix + ".latency")
                    .setUnit("s")
                    .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0))
                    .build();
            for (double v : latencies) {
                latency.record(v, route);
            }
            var size = meter.histogramBuilder(prefix + ".size").setUnit("By").build();
            for (double v : sizes) {
                size.record(v, route);
            }
            assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess())
                    .as("the exporter's export succeeded")
                    .isTrue();
        }
        String sel = "{job=\"" + service + "\",http_route=\"/checkout\"}";
        assertThat(value(name + "_requests_total" + sel)).isEqualTo(12.0);
        assertThat(value(name + "_temperature" + sel)).isEqualTo(21.5);

        double latencySum = 0;
        for (double v : latencies) {
            latencySum += v;
        }
        assertThat(value(name + "_latency_seconds_count" + sel)).isEqualTo(4.0);
        assertThat(value(name + "_latency_seconds_sum" + sel)).isEqualTo(latencySum);
        assertThat(bucket(name + "_latency_seconds_bucket", service, "0.1")).isEqualTo(1.0);
        assertThat(bucket(name + "_latency_seconds_bucket", service, "0.5")).isEqualTo(3.0);
        assertThat(bucket(name + "_latency_seconds_bucket", service, "1")).isEqualTo(3.0);
        assertThat(bucket(name + "_latency_seconds_bucket", service, "+Inf")).isEqualTo(4.0);

        // Exponential buckets become classic ones at their exact bounds; powers of two are bounds at any
        // scale >= 0, and a value on a bound belongs to the bucket below it.
        assertThat(value(name + "_size_bytes_count" + sel)).isEqualTo(4.0);
        assertThat(value(name + "_size_bytes_sum" + sel)).isEqualTo(15.0);
        assertThat(bucket(name + "_size_bytes_bucket", service, "0")).isEqualTo(0.0);
        assertThat(bucket(name + "_size_bytes_bucket", service, "1")).isEqualTo(1.0);
        assertThat(bucket(name + "_size_bytes_bucket", service, "2")).isEqualTo(2.0);
        assertThat(bucket(name + "_size_bytes_bucket", service, "4")).isEqualTo(3.0);
        assertThat(bucket(name + "_size_bytes_bucket", service, "8")).isEqualTo(4.0);
        assertThat(bucket(name + "_size_bytes_bucket", service, "+Inf")).isEqualTo(4.0);
    }

    @Test
    void otlpJsonOnTheHttpPortWithExactPartialSuccess() throws Exception {
        long now = System.currentTimeMillis();
        String json = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"metrics-it-json\"}}]},\"scopeMetrics\":[{\"metrics\":[{\"name\":"
                + "\"json.queue.depth\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"" + now * 1_000_000L
                + "\",\"asInt\":\"42\"}]}}]}]}]}";
        HttpResponse<String> ok = server.send(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(Json.parse(ok.body())
                        .path("partialSuccess")
                        .path("rejectedDataPoints")
                        .asLong())
                .isZero();
        assertThat(value("json_queue_depth{job=\"metrics-it-json\"}")).isEqualTo(42.0);

        // Three good points, one with too many labels, and a delta sum of two points: exactly 3 refused.
        var tooManyLabels = point(now, 2);
        for (int i = 0; i < 100; i++) {
            tooManyLabels.addAttributes(OtlpRequests.kv("a" + i, "v"));
        }
        ExportMetricsServiceRequest mixed = request(
                "metrics-it-partial",
                Metric.newBuilder()
                        .setName("partial.gauge")
                        .setGauge(Gauge.newBuilder()
                                .addDataPoints(point(now, 1).addAttributes(OtlpRequests.kv("k", "one")))
                                .addDataPoints(tooManyLabels)
                                .addDataPoints(point(now, 3).addAttributes(OtlpRequests.kv("k", "three")))
                                .addDataPoints(point(now, 4).addAttributes(OtlpRequests.kv("k", "four"))))
                        .build(),
                Metric.newBuilder()
                        .setName("partial.delta")
                        .setSum(Sum.newBuilder()
                                .setIsMonotonic(true)
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                .addDataPoints(point(now, 1))
                                .addDataPoints(point(now, 2)))
                        .build());
        HttpResponse<byte[]> partial = OtlpRequests.sendBytes(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mixed.toByteArray())));
        assertThat(partial.statusCode()).isEqualTo(200);
        var partialSuccess =
                ExportMetricsServiceResponse.parseFrom(partial.body()).getPartialSuccess();
        assertThat(partialSuccess.getRejectedDataPoints()).isEqualTo(3);
        assertThat(partialSuccess.getErrorMessage()).contains("labels").contains("delta");
        assertThat(value("sum(partial_gauge{job=\"metrics-it-partial\"})")).isEqualTo(8.0);
        assertThat(value("count(partial_gauge{job=\"metrics-it-partial\"})")).isEqualTo(3.0);

        // Sent again with the values changed: the store refuses each as a duplicate timestamp, counted exactly.
        ExportMetricsServiceRequest changed = request(
                "metrics-it-partial",
                Metric.newBuilder()
                        .setName("partial.gauge")
                        .setGauge(Gauge.newBuilder()
                                .addDataPoints(point(now, 10).addAttributes(OtlpRequests.kv("k", "one")))
                                .addDataPoints(point(now, 30).addAttributes(OtlpRequests.kv("k", "three"))))
                        .build());
        var refused = ExportMetricsServiceResponse.parseFrom(
                        OtlpRequests.sendBytes(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                                        .header("Content-Type", "application/x-protobuf")
                                        .header("Authorization", "Bearer " + KEY)
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(changed.toByteArray())))
                                .body())
                .getPartialSuccess();
        assertThat(refused.getRejectedDataPoints()).isEqualTo(2);
        assertThat(refused.getErrorMessage()).contains("2 duplicate");
    }
}
