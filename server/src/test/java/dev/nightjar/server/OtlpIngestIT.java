package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.testing.FreePorts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop: the official OpenTelemetry Java SDK's OTLP exporters (gRPC and HTTP/protobuf) send logs and
 * traces into the packaged server; the same data comes back from the query API and the Jaeger API.
 */
class OtlpIngestIT {
    static final String KEY = "nj_otlp_ingest_it_admin_key_0123456789";

    @TempDir
    static Path dataDir;

    static ServerProcess server;
    static int otlpHttpPort;
    static int otlpGrpcPort;

    @BeforeAll
    static void start() {
        otlpHttpPort = FreePorts.next();
        otlpGrpcPort = FreePorts.next();
        server = ServerProcess.start(
                dataDir,
                Map.of(
                        "NIGHTJAR_BOOTSTRAP_API_KEY", KEY,
                        "NIGHTJAR_OTLP_HTTP_PORT", Integer.toString(otlpHttpPort),
                        "NIGHTJAR_OTLP_GRPC_PORT", Integer.toString(otlpGrpcPort)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Resource resource(String service) {
        return Resource.getDefault()
                .merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        service,
                        AttributeKey.stringKey("deployment.environment"),
                        "it")));
    }

    static void emitLogs(LogRecordExporter exporter, String service, String marker, int n) {
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(resource(service))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build()) {
            Logger logger = provider.get("it-logger");
            for (int i = 0; i < n; i++) {
                logger.logRecordBuilder()
                        .setTimestamp(Instant.now())
                        .setSeverity(Severity.ERROR)
                        .setSeverityText("ERROR")
                        .setBody(marker + " payment declined #" + i)
                        .setAttribute(AttributeKey.longKey("order.id"), 1000L + i)
                        .setAttribute(AttributeKey.stringKey("user.name"), "ünïcödé ✓")
                        .setAttribute(AttributeKey.booleanKey("retry"), true)
                        .emit();
            }
            assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess())
                    .isTrue();
        }
    }

    static String[] emitTrace(SpanExporter exporter, String service) {
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource(service))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            Tracer tracer = provider.get("it-tracer");
            Span root = tracer.spanBuilder("GET /checkout")
                    .setSpanKind(SpanKind.SERVER)
                    .startSpan();
            root.setAttribute("http.response.status_code", 500L);
            Span child = tracer.spanBuilder("SELECT orders")
                    .setParent(Context.current().with(root))
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("db.system", "postgresql")
                    .startSpan();
            child.addEvent("rows fetched", Attributes.of(AttributeKey.longKey("rows"), 3L));
            child.end();
            root.setStatus(StatusCode.ERROR, "boom");
            root.end();
            assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess())
                    .isTrue();
            return new String[] {
                root.getSpanContext().getTraceId(),
                root.getSpanContext().getSpanId(),
                child.getSpanContext().getSpanId()
            };
        }
    }

    static JsonNode awaitJson(String path, String key, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = server.get(path, key);
            if (r.statusCode() == 200) {
                last = Json.parse(r.body());
                if (done.test(last)) {
                    return last;
                }
            }
            ServerProcess.sleep(300);
        }
        throw new AssertionError("no expected answer from " + path + ", last: " + last);
    }

    @Test
    void logsFromTheSdkOverHttpAndGrpcComeBackExactly() {
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        emitLogs(
                OtlpHttpLogRecordExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + otlpHttpPort + "/v1/logs")
                        .addHeader("Authorization", "Bearer " + KEY)
                        .build(),
                "checkout-http",
                marker,
                3);
        emitLogs(
                OtlpGrpcLogRecordExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + otlpGrpcPort)
                        .addHeader("Authorization", "Bearer " + KEY)
                        .build(),
                "checkout-grpc",
                marker,
                2);
        // And through the main port's /v1/ path.
        emitLogs(
                OtlpHttpLogRecordExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + server.port() + "/v1/logs")
                        .addHeader("Authorization", "Bearer " + KEY)
                        .setCompression("gzip")
                        .build(),
                "checkout-main",
                marker,
                1);
        JsonNode page = awaitJson(
                "/api/v1/logs?q=" + marker + "&limit=100",
                KEY,
                j -> j.get("records").size() >= 6);
        assertThat(page.get("records")).hasSize(6);
        JsonNode first = null;
        for (JsonNode r : page.get("records")) {
            if (r.get("resource").get("service.name").asText().equals("checkout-http")
                    && r.get("body").asText().endsWith("#0")) {
                first = r;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.get("body").asText()).isEqualTo(marker + " payment declined #0");
        assertThat(first.get("severityNumber").asInt()).isEqualTo(17);
        assertThat(first.get("severityText").asText()).isEqualTo("ERROR");
        assertThat(first.get("attributes").get("order.id").asLong()).isEqualTo(1000L);
        assertThat(first.get("attributes").get("user.name").asText()).isEqualTo("ünïcödé ✓");
        assertThat(first.get("attributes").get("retry").asBoolean()).isTrue();
        assertThat(first.get("resource").get("deployment.environment").asText()).isEqualTo("it");
        assertThat(first.get("resource").get("telemetry.sdk.language").asText()).isEqualTo("java");
        assertThat(first.get("scopeName").asText()).isEqualTo("it-logger");
        JsonNode services =
                awaitJson("/api/v1/logs/top-values?field=resource.service.name&q=" + marker, KEY, j -> j.size() == 3);
        assertThat(services.findValuesAsText("value"))
                .containsExactlyInAnyOrder("checkout-http", "checkout-grpc", "checkout-main");
    }

    @Test
    void tracesFromTheSdkComeBackFromTheQueryAndJaegerApis() {
        String[] grpcIds = emitTrace(
                OtlpGrpcSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + otlpGrpcPort)
                        .addHeader("Authorization", "Bearer " + KEY)
                        .build(),
                "cart-grpc");
        String[] httpIds = emitTrace(
                OtlpHttpSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + otlpHttpPort + "/v1/traces")
                        .addHeader("Authorization", "Bearer " + KEY)
                        .build(),
                "cart-http");
        for (String[] ids : new String[][] {grpcIds, httpIds}) {
            JsonNode spans = awaitJson("/api/v1/traces/" + ids[0], KEY, j -> j.size() == 2);
            JsonNode root = spans.get(0).get("parentSpanId").isNull() ? spans.get(0) : spans.get(1);
            JsonNode child = root == spans.get(0) ? spans.get(1) : spans.get(0);
            assertThat(root.get("spanId").asText()).isEqualTo(ids[1]);
            assertThat(root.get("name").asText()).isEqualTo("GET /checkout");
            assertThat(root.get("kind").asText()).isEqualTo("SERVER");
            assertThat(root.get("statusCode").asText()).isEqualTo("ERROR");
            assertThat(root.get("statusMessage").asText()).isEqualTo("boom");
            assertThat(root.get("attributes").get("http.response.status_code").asLong())
                    .isEqualTo(500);
            assertThat(child.get("spanId").asText()).isEqualTo(ids[2]);
            assertThat(child.get("parentSpanId").asText()).isEqualTo(ids[1]);
            assertThat(child.get("events").get(0).get("name").asText()).isEqualTo("rows fetched");
            assertThat(child.get("events").get(0).get("attributes").get("rows").asLong())
                    .isEqualTo(3);
        }
        // Jaeger API, Basic auth with the key as password (as Grafana sends it).
        String basic =
                "Basic " + Base64.getEncoder().encodeToString(("grafana:" + KEY).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> trace = server.send(HttpRequest.newBuilder(server.uri("/jaeger/api/traces/" + grpcIds[0]))
                .header("Authorization", basic));
        assertThat(trace.statusCode()).isEqualTo(200);
        JsonNode jt = Json.parse(trace.body()).get("data").get(0);
        assertThat(jt.get("traceID").asText()).isEqualTo(grpcIds[0]);
        assertThat(jt.get("spans")).hasSize(2);
        JsonNode process = jt.get("processes").elements().next();
        assertThat(process.get("serviceName").asText()).isEqualTo("cart-grpc");
        JsonNode services =
                awaitJson("/jaeger/api/services", KEY, j -> j.get("data").size() >= 2);
        assertThat(services.get("data").findValuesAsText("data")).isEmpty();
        assertThat(services.get("data").toString()).contains("\"cart-grpc\"", "\"cart-http\"");
        JsonNode ops = awaitJson(
                "/jaeger/api/services/cart-http/operations",
                KEY,
                j -> j.get("data").size() == 2);
        assertThat(ops.get("data").toString()).contains("GET /checkout", "SELECT orders");
        JsonNode found = awaitJson(
                "/jaeger/api/traces?service=cart-http&operation=GET%20/checkout&minDuration=0ms&limit=20"
                        + "&tags=%7B%22http.response.status_code%22%3A%22500%22%7D",
                KEY, j -> j.get("data").size() == 1);
        assertThat(found.get("data").get(0).get("traceID").asText()).isEqualTo(httpIds[0]);
        JsonNode red = awaitJson("/api/v1/traces/red", KEY, j -> j.size() >= 2);
        assertThat(red.toString()).contains("cart-grpc");
    }

    @Test
    void wrongKeysAndScopesAreRefused() {
        HttpResponse<String> noKey = server.send(HttpRequest.newBuilder(server.uri("/v1/logs"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])));
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v1/logs", null).statusCode()).isEqualTo(401);
        assertThat(server.get("/jaeger/api/services", "nj_not_a_real_key_000000000000")
                        .statusCode())
                .isEqualTo(401);
        assertThat(server.get("/api/v1/logs?start=2020-01-01T00:00:00Z&end=2021-01-01T00:00:00Z", KEY)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> badLimit = server.get("/api/v1/logs?limit=100000", KEY);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit");
    }
}
