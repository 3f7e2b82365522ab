package dev.nightjar.ingest.otlp;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestLimits;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OTLP/HTTP receiver on a loopback port over a real write-ahead log in a temporary directory, an
 * in-memory store behind it, and the requests and reads the receiver tests share.
 */
abstract class OtlpHttpReceiverFixture {
    static final TenantId TENANT = TenantId.of(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    static final String KEY = "Bearer good-key";
    static final IngestLimits LIMITS = new IngestLimits(64 * 1024, 256 * 1024, 64, 1024, 4096, 16, 4);

    @TempDir
    Path walDir;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final HttpClient http = HttpClient.newHttpClient();
    Vertx vertx;
    InMemoryStorage storage;
    TelemetryIngest ingest;
    OtlpHttpReceiver receiver;
    ExecutorService pool;
    int port;

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
