package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.testing.FreePorts;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One packaged server with dedicated OTLP HTTP and gRPC ports, small request limits, an admin key and a
 * second tenant, and the requests and queries the OTLP metrics tests share. Each test class gets its own
 * server (started once per class).
 */
abstract class OtlpMetricsFixture {
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
                ServerProcess.databaseEnv(
                        externalDb,
                        KEY,
                        Map.of(
                                "NIGHTJAR_OTLP_HTTP_PORT",
                                Integer.toString(httpPort),
                                "NIGHTJAR_OTLP_GRPC_PORT",
                                Integer.toString(grpcPort),
                                "NIGHTJAR_INGEST_MAX_REQUEST_BYTES",
                                "1048576",
                                "NIGHTJAR_INGEST_MAX_DECOMPRESSED_BYTES",
                                "4194304")));
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

    static HttpResponse<String> postOtlp(String key, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return server.send(b);
    }

    static URI otlpHttp(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    static NumberDataPoint.Builder point(long millis, long value) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(millis * 1_000_000L).setAsInt(value);
    }

    static Metric gauge(String name, long value) {
        return Metric.newBuilder()
                .setName(name)
                .setGauge(Gauge.newBuilder().addDataPoints(point(System.currentTimeMillis(), value)))
                .build();
    }

    static ExportMetricsServiceRequest request(String service, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                .addAttributes(OtlpRequests.kv("service.name", service)))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }

    static JsonNode createKey(String name, String scope) {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}")));
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.parse(created.body());
    }

    static void revoke(JsonNode key) {
        HttpResponse<String> revoked = server.send(HttpRequest.newBuilder(server.uri(
                        "/api/v1/api-keys/" + key.get("key").get("id").asText()))
                .header("Authorization", "Bearer " + KEY)
                .DELETE());
        assertThat(revoked.statusCode()).isEqualTo(204);
    }

    static JsonNode query(String promql, String key) {
        HttpResponse<String> r = server.get(
                "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
                        + System.currentTimeMillis() / 1000.0,
                key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static double value(String promql) {
        return valueAs(promql, KEY);
    }
    /** The one value of an instant query (the samples are acknowledged, so they are already readable). */
    static double valueAs(String promql, String key) {
        JsonNode result = query(promql, key).path("data").path("result");
        assertThat(result).as(promql).hasSize(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    static double bucket(String metric, String service, String le) {
        return value(metric + "{job=\"" + service + "\",http_route=\"/checkout\",le=\"" + le + "\"}");
    }
}
