package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus side of the metrics store at its edges on the packaged server: hostile remote_write bodies
 * and limits, tenant isolation, API-key scopes (and Grafana's basic auth), and OTLP metrics on the main port
 * becoming Prometheus series.
 */
class PrometheusApiAccessIT extends PrometheusApiFixture {
    @Test
    void hostileRemoteWriteBodiesAreRefusedAndTheServerKeepsServing() {
        HttpResponse<String> notSnappy = write(ingestKey, "this is not snappy".getBytes(StandardCharsets.UTF_8));
        assertThat(notSnappy.statusCode()).isEqualTo(400);
        assertThat(notSnappy.body()).contains("not valid snappy");

        HttpResponse<String> notProtobuf = write(ingestKey, snappy(new byte[] {(byte) 0xff, (byte) 0xff, 1}));
        assertThat(notProtobuf.statusCode()).isEqualTo(400);
        assertThat(notProtobuf.body()).contains("malformed protobuf");

        List<String> wide = new ArrayList<>(List.of("__name__", "it_wide"));
        for (int i = 0; i < 200; i++) {
            wide.add("label_" + i);
            wide.add("v");
        }
        HttpResponse<String> tooWide = write(
                ingestKey,
                RemoteWriteBodies.snappy(
                        List.of(new RemoteWriteBodies.Series(wide, new long[] {T0}, new double[] {1}))));
        assertThat(tooWide.statusCode()).isEqualTo(400);
        assertThat(tooWide.body()).contains("more than 64 labels");

        HttpResponse<String> longValue = write(
                ingestKey,
                RemoteWriteBodies.snappy(List.of(new RemoteWriteBodies.Series(
                        List.of("__name__", "it_long", "v", "x".repeat(100_000)), new long[] {T0}, new double[] {1}))));
        assertThat(longValue.statusCode()).isEqualTo(400);
        assertThat(longValue.body()).contains("label value longer than 4096");

        HttpResponse<String> gzip = server.send(HttpRequest.newBuilder(server.uri("/api/v1/write"))
                .header("Authorization", "Bearer " + ingestKey)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})));
        assertThat(gzip.statusCode()).isEqualTo(415);

        List<RemoteWriteBodies.Series> burst = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            burst.add(new RemoteWriteBodies.Series(
                    List.of("__name__", "it_burst", "id", Integer.toString(i)), new long[] {T0}, new double[] {i}));
        }
        HttpResponse<String> limited = write(ingestKey, RemoteWriteBodies.snappy(burst));
        assertThat(limited.statusCode()).isEqualTo(400);
        assertThat(limited.body()).contains("series limit exceeded").contains("limit is " + SERIES_LIMIT);

        assertThat(get("/api/v1/query?query=count(it_burst)&time=" + seconds(T0), readKey)
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(get("/api/v1/query?query=it_up&time=" + seconds(T0 + 30_000), readKey)
                        .body())
                .contains("\"value\":[" + seconds(T0 + 30_000) + ",\"1\"]");
        assertThat(server.get("/q/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherTenantSeesNoneOfTheseSeries() {
        assertThat(get("/api/v1/query?query=it_temperature&time=" + seconds(T0 + 30_000), OTHER_TENANT_KEY)
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(get("/api/v1/label/__name__/values", OTHER_TENANT_KEY).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/series?match[]=it_up", OTHER_TENANT_KEY).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void remoteWriteChecksItsKeyItselfAndRefusesARevokedKeyAtOnce() {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"short lived writer\",\"scopes\":[\"ingest\"]}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = Json.parse(created.body()).path("secret").asText();
        String id = Json.parse(created.body()).path("key").path("id").asText();
        byte[] body = RemoteWriteBodies.snappy(List.of(new RemoteWriteBodies.Series(
                List.of("__name__", "it_revoked_writer"), new long[] {T0}, new double[] {1})));
        // Twice: the first answer comes from the database check, the second from the key cache.
        assertThat(write(secret, body).statusCode()).isEqualTo(204);
        assertThat(write(secret, body).statusCode()).isEqualTo(204);

        HttpResponse<String> revoke = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys/" + id))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .DELETE());
        assertThat(revoke.statusCode()).isEqualTo(204);
        HttpResponse<String> revoked = write(secret, body);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"nightjar\"");

        for (String header : List.of(
                "Bearer nj_not_a_real_key_000000000000",
                "Bearer ' OR '1'='1'; drop table api_keys; --",
                "Basic !!!",
                "Negotiate abc",
                "Bearer",
                "Bearer " + "k".repeat(5_000))) {
            HttpResponse<String> bogus = server.send(HttpRequest.newBuilder(server.uri("/api/v1/write"))
                    .header("Authorization", header)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(bogus.statusCode()).as(header).isEqualTo(401);
            assertThat(bogus.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"nightjar\"");
        }
        // The tenant is the key's: another tenant's key writes into that tenant only.
        byte[] other = RemoteWriteBodies.snappy(List.of(new RemoteWriteBodies.Series(
                List.of("__name__", "it_other_tenant_writer"), new long[] {T0}, new double[] {2})));
        assertThat(write(OTHER_TENANT_KEY, other).statusCode()).isEqualTo(204);
        String query = "/api/v1/query?query=it_other_tenant_writer&time=" + seconds(T0 + 30_000);
        assertThat(get(query, readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(get(query, OTHER_TENANT_KEY).body()).contains("it_other_tenant_writer");
    }

    @Test
    void keysNeedTheRightScope() {
        assertThat(server.get("/api/v1/query?query=it_up", null).statusCode()).isEqualTo(401);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/api/v1/write"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(snappy(new byte[0]))))
                        .statusCode())
                .isEqualTo(401);
        assertThat(get("/api/v1/query?query=it_up", ingestKey).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/labels", ingestKey).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/rules", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/rules", ingestKey).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/alerts", ingestKey).statusCode()).isEqualTo(403);
        assertThat(write(readKey, RemoteWriteBodies.snappy(List.of())).statusCode())
                .isEqualTo(403);

        // Grafana's basic auth: any user name, the key as password.
        String basic = Base64.getEncoder().encodeToString(("grafana:" + readKey).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> viaBasic =
                server.send(HttpRequest.newBuilder(server.uri("/api/v1/query?query=it_up&time=" + seconds(T0 + 30_000)))
                        .header("Authorization", "Basic " + basic)
                        .GET());
        assertThat(viaBasic.statusCode()).isEqualTo(200);
        assertThat(viaBasic.body()).contains("\"it_up\"");
    }

    @Test
    void otlpMetricsOnTheMainPortBecomePrometheusSeries() throws Exception {
        long nanos = (T0 + 30_000) * 1_000_000L;
        var request = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                .addAttributes(attribute("service.name", "checkout")))
                        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                        .setName("it.otlp.requests")
                                        .setSum(io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
                                                .setIsMonotonic(true)
                                                .setAggregationTemporality(
                                                        io.opentelemetry.proto.metrics.v1.AggregationTemporality
                                                                .AGGREGATION_TEMPORALITY_CUMULATIVE)
                                                .addDataPoints(
                                                        io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
                                                                .setTimeUnixNano(nanos)
                                                                .setAsInt(5))))))
                .build();
        HttpResponse<String> exported = server.send(HttpRequest.newBuilder(server.uri("/v1/metrics"))
                .header("Authorization", "Bearer " + ingestKey)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())));
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);

        assertThat(get("/api/v1/query?query=it_otlp_requests_total&time=" + seconds(T0 + 30_000), readKey)
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_otlp_requests_total\",\"job\":\"checkout\"},"
                        + "\"value\":[" + seconds(T0 + 30_000) + ",\"5\"]}]}}");

        HttpResponse<String> garbage = server.send(HttpRequest.newBuilder(server.uri("/v1/metrics"))
                .header("Authorization", "Bearer " + ingestKey)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/v1/metrics"))
                                .header("Authorization", "Bearer " + readKey)
                                .header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())))
                        .statusCode())
                .isEqualTo(403);
    }
}
