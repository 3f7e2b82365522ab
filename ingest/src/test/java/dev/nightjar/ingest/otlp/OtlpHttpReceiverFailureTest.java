package dev.nightjar.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The OTLP/HTTP receiver under hostile requests, a crash after acknowledging, and a store over capacity:
 * the right refusal, nothing acknowledged lost, nothing refused replayed.
 */
class OtlpHttpReceiverFailureTest extends OtlpHttpReceiverFixture {
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
}
