package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus side of the metrics store end to end on the packaged server: remote_write with real
 * snappy + protobuf bodies, the query API answering in Prometheus' exact JSON, hostile bodies, limits,
 * tenant isolation and API-key scopes.
 */
class PrometheusApiIT {
    private static final String ADMIN_KEY = "nj_prometheus_api_admin_key_0123456789";
    private static final String OTHER_TENANT_KEY = "nj_prometheus_other_tenant_key_98765";
    private static final int SERIES_LIMIT = 1000;

    @TempDir
    static Path dataDir;

    private static EmbeddedPostgres externalDb;
    private static ServerProcess server;
    private static String ingestKey;
    private static String readKey;
    /** Whole seconds, a minute ago, so every sample is inside the store's out-of-order window. */
    private static final long T0 = (System.currentTimeMillis() / 1000 - 60) * 1000;

    @BeforeAll
    static void start() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
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
                        ADMIN_KEY,
                        "NIGHTJAR_METRICS_MAX_SERIES_PER_TENANT",
                        Integer.toString(SERIES_LIMIT),
                        "NIGHTJAR_PROMETHEUS_MAX_RANGE",
                        "P7D"));
        insertOtherTenantWithKey(OTHER_TENANT_KEY);
        ingestKey = createKey("ingest only", "ingest");
        readKey = createKey("read only", "read");

        HttpResponse<String> written = write(
                ingestKey,
                RemoteWriteBodies.snappy(List.of(
                        new RemoteWriteBodies.Series(
                                List.of("__name__", "it_temperature", "room", "kitchen"),
                                new long[] {T0, T0 + 15_000, T0 + 30_000},
                                new double[] {21, 21.5, 22.25}),
                        new RemoteWriteBodies.Series(
                                List.of("__name__", "it_temperature", "room", "cellar"),
                                new long[] {T0, T0 + 15_000, T0 + 30_000},
                                new double[] {12, Double.POSITIVE_INFINITY, 0.1}),
                        new RemoteWriteBodies.Series(
                                List.of("job", "node", "__name__", "it_up", "instance", "a:9100"),
                                new long[] {T0 + 30_000},
                                new double[] {1}))));
        assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (externalDb != null) {
            externalDb.close();
        }
    }

    @Test
    void instantQueryAnswersInPrometheusExactJson() {
        HttpResponse<String> response =
                get("/api/v1/query?query=" + enc("it_temperature") + "&time=" + seconds(T0 + 30_000), readKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        String t = seconds(T0 + 30_000);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_temperature\",\"room\":\"cellar\"},\"value\":[" + t
                        + ",\"0.1\"]},"
                        + "{\"metric\":{\"__name__\":\"it_temperature\",\"room\":\"kitchen\"},\"value\":[" + t
                        + ",\"22.25\"]}]}}");
    }

    @Test
    void instantQueryOverFormPostWithFractionalTimeAndScalarResult() {
        String t = seconds(T0 + 15_000) + ".5";
        HttpResponse<String> response =
                postForm("/api/v1/query", readKey, "query=" + enc("sum(it_temperature) * 2") + "&time=" + t);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{},\"value\":[" + seconds(T0 + 15_000) + ".500,\"+Inf\"]}]}}");

        HttpResponse<String> scalar = postForm("/api/v1/query", readKey, "query=1%2B1&time=1700000000.25");
        assertThat(scalar.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                        + "[1700000000.250,\"2\"]}}");
    }

    @Test
    void rangeQueryOverPostReturnsAMatrix() {
        HttpResponse<String> response = postForm(
                "/api/v1/query_range",
                readKey,
                "query=" + enc("it_temperature{room=\"kitchen\"}") + "&start=" + seconds(T0) + "&end="
                        + rfc3339(T0 + 30_000) + "&step=15s");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_temperature\",\"room\":\"kitchen\"},\"values\":["
                        + "[" + seconds(T0) + ",\"21\"],[" + seconds(T0 + 15_000) + ",\"21.5\"],["
                        + seconds(T0 + 30_000) + ",\"22.25\"]]}]}}");

        HttpResponse<String> floatStep = get(
                "/api/v1/query_range?query=it_up&start=" + seconds(T0 + 30_000) + "&end=" + seconds(T0 + 30_000)
                        + "&step=0.5",
                readKey);
        assertThat(floatStep.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
                        + "\"values\":[[" + seconds(T0 + 30_000) + ",\"1\"]]}]}}");
    }

    @Test
    void timeoutParameterCanOnlyShortenTheQueryBudget() {
        String range = "&start=" + seconds(T0) + "&end=" + seconds(T0 + 30_000) + "&step=15s";
        HttpResponse<String> roomy = get(
                "/api/v1/query_range?query=" + enc("sum(rate(it_temperature[1m]))") + range + "&timeout=30s", readKey);
        assertThat(roomy.statusCode()).as(roomy.body()).isEqualTo(200);
        assertThat(roomy.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"");
        assertThat(roomy.body()).doesNotContain("\"stats\"");

        // stats (any value, as in Prometheus) adds the cost figures; 3 samples of two series were read.
        HttpResponse<String> counted = get(
                "/api/v1/query_range?query=" + enc("sum(rate(it_temperature[1m]))") + range + "&stats=all", readKey);
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        assertThat(counted.body())
                .contains("\"stats\":{\"timings\":{\"evalTotalTime\":")
                .contains("\"samples\":{\"totalQueryableSamples\":6,\"peakSamples\":");

        // A budget already spent (zero or negative, as Prometheus reads it) answers as a timed-out query.
        assertError(
                get(
                        "/api/v1/query_range?query=" + enc("sum(rate(it_temperature[1m]))") + range + "&timeout=-1",
                        readKey),
                503,
                "timeout",
                "query timed out");
        assertError(postForm("/api/v1/query", readKey, "query=it_up&timeout=-0.5"), 503, "timeout", "query timed out");
        assertError(
                get("/api/v1/query?query=it_up&timeout=soon", readKey),
                400,
                "bad_data",
                "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration");
        assertError(
                get("/api/v1/query?query=it_up&timeout=" + "9".repeat(40), readKey),
                400,
                "bad_data",
                "invalid parameter \"timeout\"");
    }

    @Test
    void seriesLabelsValuesMetadataAndBuildInfo() {
        assertThat(get("/api/v1/series?match[]=" + enc("it_up"), readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"it_up\",\"instance\":\"a:9100\","
                        + "\"job\":\"node\"}]}");
        assertThat(postForm(
                                "/api/v1/series",
                                readKey,
                                "match[]=" + enc("{room=\"cellar\"}") + "&start=" + seconds(T0 - 3_600_000) + "&end="
                                        + seconds(T0 + 60_000))
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"it_temperature\",\"room\":\"cellar\"}]}");
        assertThat(get("/api/v1/labels", readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\",\"room\"]}");
        assertThat(postForm("/api/v1/labels", readKey, "match[]=it_up").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
        assertThat(get("/api/v1/label/__name__/values", readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"it_temperature\",\"it_up\"]}");
        assertThat(get("/api/v1/label/room/values?match[]=" + enc("it_temperature"), readKey)
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"cellar\",\"kitchen\"]}");
        assertThat(get("/api/v1/metadata", readKey).body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        assertThat(get("/api/v1/status/buildinfo", readKey).body()).contains("\"version\":\"2.42.0\"");
    }

    @Test
    void badQueriesAnswerWithPrometheusErrorShapes() {
        assertError(get("/api/v1/query?query=" + enc("sum("), readKey), 400, "bad_data", "");
        assertError(
                get("/api/v1/query?query=up&time=yesterday", readKey),
                400,
                "bad_data",
                "invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp");
        assertError(
                get("/api/v1/query_range?query=up&start=10&end=5&step=1", readKey),
                400,
                "bad_data",
                "end timestamp must not be before start time");
        assertError(
                get("/api/v1/query_range?query=up&start=1&end=5&step=0", readKey),
                400,
                "bad_data",
                "zero or negative query resolution step widths are not accepted");
        assertError(
                get("/api/v1/query_range?query=up&start=1&end=5&step=fast", readKey),
                400,
                "bad_data",
                "invalid parameter \"step\": cannot parse \"fast\" to a valid duration");
        assertError(
                get("/api/v1/query_range?query=up&start=0&end=" + 30L * 86400 + "&step=3600", readKey),
                400,
                "bad_data",
                "exceeds the limit of 7d");
        assertError(get("/api/v1/series", readKey), 400, "bad_data", "no match[] parameter provided");
        assertError(
                get("/api/v1/series?match[]=" + enc("{job=~\".*\"}"), readKey),
                400,
                "bad_data",
                "at least one non-empty matcher");
        assertError(get("/api/v1/label/not-a-label/values", readKey), 400, "bad_data", "invalid label name");
        assertError(
                postForm("/api/v1/query", readKey, "query=" + enc("(".repeat(20_000) + "1" + ")".repeat(20_000))),
                400,
                "bad_data",
                "");
        assertError(
                postForm("/api/v1/query", readKey, "query=" + enc("x".repeat(70_000))),
                400,
                "bad_data",
                "nightjar.prometheus.max-query-length");
    }

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
    void keysNeedTheRightScope() {
        assertThat(server.get("/api/v1/query?query=it_up", null).statusCode()).isEqualTo(401);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/api/v1/write"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(snappy(new byte[0]))))
                        .statusCode())
                .isEqualTo(401);
        assertThat(get("/api/v1/query?query=it_up", ingestKey).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/labels", ingestKey).statusCode()).isEqualTo(403);
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

    private static io.opentelemetry.proto.common.v1.KeyValue attribute(String key, String value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey(key)
                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body())
                .startsWith("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"")
                .contains(message.replace("\"", "\\\""));
    }

    private static String seconds(long millis) {
        return Long.toString(millis / 1000);
    }

    private static String rfc3339(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static byte[] snappy(byte[] raw) {
        try {
            return org.xerial.snappy.Snappy.compress(raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(String path, String key) {
        return server.get(path, key);
    }

    private static HttpResponse<String> postForm(String path, String key, String form) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    static HttpResponse<String> write(String key, byte[] body) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/v1/write"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static String createKey(String name, String scope) {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body()).path("secret").asText();
    }

    private static void insertOtherTenantWithKey(String key) throws Exception {
        OtherTenant.insertWithKey(externalDb.getPostgresDatabase(), key, "tenant b reader", Set.of("read", "ingest"));
    }
}
