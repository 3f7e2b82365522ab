package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.testing.FreePorts;
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
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP metrics on the dedicated OTLP ports of the packaged server: the official OpenTelemetry Java SDK's
 * gRPC and HTTP metric exporters send a counter, a gauge, a histogram and an exponential histogram, and
 * the exact values come back through the Prometheus query API; hostile requests on both ports get the
 * right refusal, and the tenant comes only from the key.
 */
class OtlpMetricsIT {
    static final String KEY = "nj_otlp_metrics_it_admin_key_0123456789";
    static final String OTHER_TENANT_KEY = "nj_otlp_metrics_it_tenant_b_key_98765";

    @TempDir
    static Path dataDir;

    static EmbeddedPostgres externalDb;
    static ServerProcess server;
    static int httpPort;
    static int grpcPort;
    static GrpcCalls grpc;

    @BeforeAll
    static void start() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
        httpPort = FreePorts.next();
        grpcPort = FreePorts.next();
        server = ServerProcess.start(
                dataDir,
                Map.of(
                        "NIGHTJAR_DB_URL",
                        externalDb.getJdbcUrl("postgres", "postgres"),
                        "NIGHTJAR_DB_USER",
                        "postgres",
                        "NIGHTJAR_DB_PASSWORD",
                        "postgres",
                        "NIGHTJAR_BOOTSTRAP_API_KEY",
                        KEY,
                        "NIGHTJAR_OTLP_HTTP_PORT",
                        Integer.toString(httpPort),
                        "NIGHTJAR_OTLP_GRPC_PORT",
                        Integer.toString(grpcPort),
                        "NIGHTJAR_INGEST_MAX_REQUEST_BYTES",
                        "1048576",
                        "NIGHTJAR_INGEST_MAX_DECOMPRESSED_BYTES",
                        "4194304"));
        OtherTenant.insertWithKey(
                externalDb.getPostgresDatabase(), OTHER_TENANT_KEY, "tenant b", Set.of("admin", "read", "ingest"));
        grpc = new GrpcCalls(grpcPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (server != null) {
            server.close();
        }
        if (externalDb != null) {
            externalDb.close();
        }
    }

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

    @Test
    void hostileRequestsOnTheHttpPort() {
        byte[] valid = request("metrics-it-hostile", gauge("hostile.http", 1)).toByteArray();
        HttpResponse<String> oversized = postOtlp(KEY, new byte[2 << 20]);
        assertThat(oversized.statusCode()).isEqualTo(413);
        HttpResponse<String> bomb = server.send(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpRequests.gzip(new byte[64 << 20]))));
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(bomb.body()).contains("4194304");
        HttpResponse<String> malformed = postOtlp(KEY, new byte[] {0x0a, (byte) 0xff, 0x7f});
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("cannot parse the OTLP protobuf request");
        assertThat(postOtlp(null, valid).statusCode()).isEqualTo(401);
        assertThat(postOtlp("nj_wrong_key_00000000000000000000", valid).statusCode())
                .isEqualTo(401);

        String reader = createKey("reader", "read").get("secret").asText();
        assertThat(postOtlp(reader, valid).statusCode()).isEqualTo(403);
        JsonNode sender = createKey("sender", "ingest");
        String ingestKey = sender.get("secret").asText();
        assertThat(postOtlp(ingestKey, valid).statusCode()).isEqualTo(200);
        revoke(sender);
        assertThat(postOtlp(ingestKey, valid).statusCode()).isEqualTo(401);
        assertThat(postOtlp(KEY, valid).statusCode()).isEqualTo(200);
    }

    @Test
    void hostileCallsOnTheGrpcPort() throws Exception {
        byte[] valid = request("metrics-it-hostile", gauge("hostile.grpc", 1)).toByteArray();
        GrpcCalls.Call big = grpc.call(KEY, new byte[2 << 20], false);
        assertThat(big.grpcStatus()).isEqualTo("8");
        assertThat(big.grpcMessage()).contains("exceeds the limit");
        GrpcCalls.Call bomb = grpc.call(KEY, OtlpRequests.gzip(new byte[64 << 20]), true);
        assertThat(bomb.grpcStatus()).isEqualTo("8");
        assertThat(grpc.call(KEY, new byte[] {0x0a, (byte) 0xff, 0x7f}, false).grpcStatus())
                .isEqualTo("3");
        assertThat(grpc.call(null, valid, false).grpcStatus()).isEqualTo("16");
        assertThat(grpc.call("nj_wrong_key_00000000000000000000", valid, false).grpcStatus())
                .isEqualTo("16");

        String reader = createKey("grpc reader", "read").get("secret").asText();
        assertThat(grpc.call(reader, valid, false).grpcStatus()).isEqualTo("7");
        JsonNode sender = createKey("grpc sender", "ingest");
        String ingestKey = sender.get("secret").asText();
        GrpcCalls.Call accepted = grpc.call(ingestKey, valid, false);
        assertThat(accepted.grpcStatus()).isEqualTo("0");
        assertThat(ExportMetricsServiceResponse.parseFrom(accepted.message()).hasPartialSuccess())
                .isFalse();
        revoke(sender);
        assertThat(grpc.call(ingestKey, valid, false).grpcStatus()).isEqualTo("16");
        assertThat(value("hostile_grpc{job=\"metrics-it-hostile\"}")).isEqualTo(1.0);
    }

    @Test
    void theTenantComesOnlyFromTheKey() throws Exception {
        byte[] body = request("metrics-it-tenant-b", gauge("tenant.secret", 7)).toByteArray();
        HttpResponse<String> viaHttp = server.send(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + OTHER_TENANT_KEY)
                .header("X-Scope-OrgID", "default")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(viaHttp.statusCode()).isEqualTo(200);
        assertThat(grpc.call(OTHER_TENANT_KEY, body, false).grpcStatus()).isEqualTo("0");
        assertThat(valueAs("tenant_secret", OTHER_TENANT_KEY)).isEqualTo(7.0);
        JsonNode forA = query("tenant_secret", KEY);
        assertThat(forA.path("data").path("result")).isEmpty();
    }

    // --- helpers

    private static HttpResponse<String> postOtlp(String key, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return server.send(b);
    }

    private static URI otlpHttp(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static NumberDataPoint.Builder point(long millis, long value) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(millis * 1_000_000L).setAsInt(value);
    }

    private static Metric gauge(String name, long value) {
        return Metric.newBuilder()
                .setName(name)
                .setGauge(Gauge.newBuilder().addDataPoints(point(System.currentTimeMillis(), value)))
                .build();
    }

    private static ExportMetricsServiceRequest request(String service, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                .addAttributes(OtlpRequests.kv("service.name", service)))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }

    private static JsonNode createKey(String name, String scope) {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}")));
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.parse(created.body());
    }

    private static void revoke(JsonNode key) {
        HttpResponse<String> revoked = server.send(HttpRequest.newBuilder(server.uri(
                        "/api/v1/api-keys/" + key.get("key").get("id").asText()))
                .header("Authorization", "Bearer " + KEY)
                .DELETE());
        assertThat(revoked.statusCode()).isEqualTo(204);
    }

    private static JsonNode query(String promql, String key) {
        HttpResponse<String> r = server.get(
                "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
                        + System.currentTimeMillis() / 1000.0,
                key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    private static double value(String promql) {
        return valueAs(promql, KEY);
    }

    /** The one value of an instant query (the samples are acknowledged, so they are already readable). */
    private static double valueAs(String promql, String key) {
        JsonNode result = query(promql, key).path("data").path("result");
        assertThat(result).as(promql).hasSize(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private static double bucket(String metric, String service, String le) {
        return value(metric + "{job=\"" + service + "\",http_route=\"/checkout\",le=\"" + le + "\"}");
    }
}
