package dev.nightjar.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import dev.nightjar.core.traces.Span;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestLimits;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpHttpReceiverTest {
    static final TenantId TENANT = TenantId.of(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    static final String KEY = "Bearer good-key";
    static final IngestLimits LIMITS = new IngestLimits(64 * 1024, 256 * 1024, 64, 1024, 4096, 16, 4);

    @TempDir
    Path walDir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private InMemoryStorage storage;
    private TelemetryIngest ingest;
    private OtlpHttpReceiver receiver;
    private ExecutorService pool;
    private int port;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        storage = new InMemoryStorage();
        ingest = new TelemetryIngest(
                storage, WriteAheadLog.open(walDir, WalOptions.DEFAULTS, meters), LIMITS, new IngestMetrics(meters));
        IngestAuthenticator auth = header -> KEY.equals(header)
                ? IngestAuthenticator.Outcome.allowed(TENANT)
                : "Bearer read-only".equals(header)
                        ? IngestAuthenticator.Outcome.forbidden("this API key may not ingest")
                        : IngestAuthenticator.Outcome.unauthenticated("a valid API key is required");
        pool = Executors.newFixedThreadPool(2);
        receiver = new OtlpHttpReceiver(new OtlpExports(ingest, auth, LIMITS, new IngestMetrics(meters)), pool);
        port = receiver.start(vertx, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        receiver.stop();
        pool.shutdownNow();
        ingest.close();
        vertx.close();
    }

    static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    static ExportLogsServiceRequest logs(io.opentelemetry.proto.logs.v1.LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout")))
                        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
                .build();
    }

    static io.opentelemetry.proto.logs.v1.LogRecord log(String body, long time) {
        return io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                .setTimeUnixNano(time)
                .setSeverityNumberValue(17)
                .setSeverityText("ERROR")
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .addAttributes(kv("http.method", "GET"))
                .build();
    }

    HttpResponse<byte[]> post(String path, String type, String auth, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip ? gzip(body) : body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    List<LogRecord> stored() {
        storage.flush();
        Instant now = Instant.now();
        return storage.logReader()
                .search(
                        TENANT,
                        LogQuery.of(LogFilter.of(new TimeRange(now.minusSeconds(3600), now.plusSeconds(60))), 1000))
                .records();
    }

    @Test
    void protobufLogsAreStoredAndAcknowledged() throws Exception {
        long t = nowNanos();
        var response = post(
                "/v1/logs",
                "application/x-protobuf",
                KEY,
                logs(log("payment failed", t)).toByteArray(),
                false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess())
                .isFalse();
        assertThat(stored()).singleElement().satisfies(r -> {
            assertThat(r.bodyText()).isEqualTo("payment failed");
            assertThat(r.timeUnixNano()).isEqualTo(t);
            assertThat(r.resource().serviceName()).isEqualTo("checkout");
            assertThat(r.attributes().getText("http.method")).contains("GET");
        });
        assertThat(meters.get("nightjar.ingest.items.accepted")
                        .tag("signal", "logs")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void gzipJsonWithHexIdsFollowsTheOtlpJsonRules() throws Exception {
        long t = nowNanos();
        String json = """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
                 "scopeLogs":[{"scope":{"name":"lib"},"logRecords":[{"timeUnixNano":"%d","severityNumber":9,
                 "body":{"stringValue":"hello"},"traceId":"5b8efff798038103d269b633813fc60c",
                 "spanId":"eee19b7ec3c1b174","attributes":[{"key":"n","value":{"intValue":"42"}}],
                 "someFutureField":true}]}]}]}
                """.formatted(t);
        var response =
                post("/v1/logs", "application/json; charset=utf-8", KEY, json.getBytes(StandardCharsets.UTF_8), true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        LogRecord r = stored().getFirst();
        assertThat(r.traceId()).isEqualTo(TraceId.fromHex("5b8efff798038103d269b633813fc60c"));
        assertThat(r.spanId().toHex()).isEqualTo("eee19b7ec3c1b174");
        assertThat(r.attributes().get("n").orElseThrow()).isEqualTo(dev.nightjar.core.telemetry.AttributeValue.of(42L));
        assertThat(r.scope().name()).isEqualTo("lib");
    }

    @Test
    void invalidItemsAreRejectedExactlyInPartialSuccess() throws Exception {
        long t = nowNanos();
        var tooMany = log("many attributes", t).toBuilder();
        for (int i = 0; i < 10_000; i++) {
            tooMany.addAttributes(kv("k" + i, "v"));
        }
        var badTrace = log("bad trace id", t).toBuilder()
                .setTraceId(ByteString.copyFrom(new byte[3]))
                .build();
        var badSeverity =
                log("bad severity", t).toBuilder().setSeverityNumberValue(99).build();
        var longBody = log("x".repeat(5000), t);
        byte[] body = logs(log("fine", t), tooMany.build(), badTrace, badSeverity, longBody)
                .toByteArray();
        var response = post("/v1/logs", "application/x-protobuf", KEY, body, true);
        assertThat(response.statusCode()).isEqualTo(200);
        var partial = ExportLogsServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedLogRecords()).isEqualTo(4);
        assertThat(partial.getErrorMessage()).contains("10001 attributes, more than the limit 64");
        assertThat(stored()).extracting(LogRecord::bodyText).containsExactly("fine");
    }

    @Test
    void jsonPartialSuccessIsJson() throws Exception {
        String json = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[
                 {"traceId":"not-hex-at-all-not-hex-at-all-00","spanId":"eee19b7ec3c1b174","name":"x","startTimeUnixNano":"1"}]}]}]}
                """;
        var response = post("/v1/traces", "application/json", KEY, json.getBytes(StandardCharsets.UTF_8), false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"rejectedSpans\":\"1\"");
    }

    @Test
    void spansAreStored() throws Exception {
        long t = nowNanos();
        byte[] trace = TraceId.fromHex("0102030405060708090a0b0c0d0e0f10").toBytes();
        var request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "cart")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                        .setTraceId(ByteString.copyFrom(trace))
                                        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                                        .setName("GET /cart")
                                        .setKindValue(2)
                                        .setStartTimeUnixNano(t)
                                        .setEndTimeUnixNano(t + 5_000_000))))
                .build();
        var response = post("/v1/traces", "application/x-protobuf", KEY, request.toByteArray(), false);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Span> spans = storage.spanReader().getTrace(TENANT, TraceId.fromBytes(trace));
        assertThat(spans).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("GET /cart");
            assertThat(s.durationNanos()).isEqualTo(5_000_000);
        });
    }

    @Test
    void hostileRequestsGetTheRightErrorAndTheReceiverKeepsServing() throws Exception {
        byte[] valid = logs(log("ok", nowNanos())).toByteArray();
        assertThat(post("/v1/logs", "application/x-protobuf", null, valid, false)
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/v1/logs", "application/x-protobuf", "Bearer wrong", valid, false)
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/v1/logs", "application/x-protobuf", "Bearer read-only", valid, false)
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/v1/logs", "text/plain", KEY, valid, false).statusCode())
                .isEqualTo(415);
        // Oversized as sent.
        var big = post("/v1/logs", "application/x-protobuf", KEY, new byte[70 * 1024], false);
        assertThat(big.statusCode()).isEqualTo(413);
        // A decompression bomb: 10 MB of zeros gzip to ~10 KB, under the compressed cap.
        var bomb = post("/v1/logs", "application/x-protobuf", KEY, new byte[10 << 20], true);
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(new String(bomb.body(), StandardCharsets.ISO_8859_1)).contains("decompressed body exceeds");
        // Malformed protobuf and JSON.
        assertThat(post("/v1/logs", "application/x-protobuf", KEY, new byte[] {(byte) 0xff, 1, 2}, false)
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/v1/logs", "application/json", KEY, "{\"resourceLogs\":[".getBytes(), false)
                        .statusCode())
                .isEqualTo(400);
        // Invalid UTF-8 in a protobuf string field.
        byte[] badUtf8 = logs(log("AAAA", nowNanos())).toByteArray();
        int at = indexOf(badUtf8, "AAAA".getBytes());
        badUtf8[at] = (byte) 0xC3;
        badUtf8[at + 1] = (byte) 0x28;
        assertThat(post("/v1/logs", "application/x-protobuf", KEY, badUtf8, false)
                        .statusCode())
                .isEqualTo(400);
        // Still serving.
        assertThat(post("/v1/logs", "application/x-protobuf", KEY, valid, false).statusCode())
                .isEqualTo(200);
        assertThat(stored()).hasSize(1);
        assertThat(meters.get("nightjar.ingest.requests.rejected")
                        .tag("reason", "too_large")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void acknowledgedRecordsSurviveACrashExactlyOnce() throws Exception {
        long t = nowNanos();
        for (int i = 0; i < 20; i++) {
            assertThat(post(
                                    "/v1/logs",
                                    "application/x-protobuf",
                                    KEY,
                                    logs(log("r" + i, t + i)).toByteArray(),
                                    false)
                            .statusCode())
                    .isEqualTo(200);
            if (i == 9) {
                ingest.checkpoint(); // the first ten are committed, their segment deleted
            }
        }
        // A crash: the in-memory store is gone; nothing was checkpointed after record 9.
        InMemoryStorage fresh = new InMemoryStorage();
        try (WriteAheadLog wal = WriteAheadLog.open(
                walDir.resolve("../" + walDir.getFileName()), WalOptions.DEFAULTS, new SimpleMeterRegistry())) {
            TelemetryIngest recovered =
                    new TelemetryIngest(fresh, wal, LIMITS, new IngestMetrics(new SimpleMeterRegistry()));
            var report = recovered.recover();
            assertThat(report.records()).isEqualTo(10);
        }
        Instant now = Instant.now();
        var records = fresh.logReader()
                .search(
                        TENANT,
                        LogQuery.of(LogFilter.of(new TimeRange(now.minusSeconds(3600), now.plusSeconds(60))), 1000))
                .records();
        assertThat(records)
                .extracting(LogRecord::bodyText)
                .containsExactlyInAnyOrder("r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19");
    }

    @Test
    void storeOverCapacityAnswers503AndTheRefusedRequestIsNotReplayed() throws Exception {
        receiver.stop();
        ingest.close();
        Path dir = walDir.resolve("small");
        InMemoryStorage small = new InMemoryStorage(2);
        TelemetryIngest smallIngest = new TelemetryIngest(
                small, WriteAheadLog.open(dir, WalOptions.DEFAULTS, meters), LIMITS, new IngestMetrics(meters));
        OtlpHttpReceiver smallReceiver = new OtlpHttpReceiver(
                new OtlpExports(
                        smallIngest,
                        h -> IngestAuthenticator.Outcome.allowed(TENANT),
                        LIMITS,
                        new IngestMetrics(meters)),
                pool);
        port = smallReceiver.start(vertx, "127.0.0.1", 0);
        long t = nowNanos();
        try {
            assertThat(post(
                                    "/v1/logs",
                                    "application/x-protobuf",
                                    KEY,
                                    logs(log("kept", t), log("kept too", t)).toByteArray(),
                                    false)
                            .statusCode())
                    .isEqualTo(200);
            var refused = post(
                    "/v1/logs",
                    "application/x-protobuf",
                    KEY,
                    logs(log("refused", t)).toByteArray(),
                    false);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        } finally {
            smallReceiver.stop();
        }
        // Crash and replay into an empty store: the refused request stays withdrawn.
        InMemoryStorage fresh = new InMemoryStorage();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.DEFAULTS, new SimpleMeterRegistry())) {
            new TelemetryIngest(fresh, wal, LIMITS, new IngestMetrics(new SimpleMeterRegistry())).recover();
        }
        Instant now = Instant.now();
        assertThat(fresh.logReader()
                        .search(
                                TENANT,
                                LogQuery.of(
                                        LogFilter.of(new TimeRange(now.minusSeconds(3600), now.plusSeconds(60))), 100))
                        .records())
                .extracting(LogRecord::bodyText)
                .containsExactlyInAnyOrder("kept", "kept too");
        // Restore what @AfterEach closes.
        ingest = new TelemetryIngest(
                storage,
                WriteAheadLog.open(walDir.resolve("again"), WalOptions.DEFAULTS, new SimpleMeterRegistry()),
                LIMITS,
                new IngestMetrics(new SimpleMeterRegistry()));
        receiver = smallReceiver;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    static Duration unused() {
        return Duration.ZERO;
    }
}
