package dev.nightjar.server;

import static dev.nightjar.server.OtlpRequests.log;
import static dev.nightjar.server.OtlpRequests.logs;
import static dev.nightjar.server.OtlpRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testing.SmallTmpfs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest WAL in the packaged server: a torn tail after a crash, and a full disk under the WAL. */
class OtlpWalRecoveryIT {
    private static final String KEY = "nj_otlp_wal_recovery_admin_key_012345";

    private static EmbeddedPostgres externalDb;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startDatabase() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (externalDb != null) {
            externalDb.close();
        }
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(ServerProcess.databaseEnv(
                externalDb, KEY, Map.of("NIGHTJAR_OTLP_HTTP_PORT", "-1", "NIGHTJAR_OTLP_GRPC_PORT", "-1")));
        env.putAll(extra);
        return env;
    }

    @Test
    void tornWalTailIsCutAndReportedAndEveryAcknowledgedRecordSurvives() throws IOException {
        String marker = "torn" + Long.toHexString(System.nanoTime());
        ServerProcess server = ServerProcess.start(dataDir, env(Map.of()));
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(post(
                                        server,
                                        "/v1/logs",
                                        KEY,
                                        logs("torn", List.of(log(marker + " " + i)))
                                                .toByteArray(),
                                        false)
                                .statusCode())
                        .isEqualTo(200);
            }
            server.kill();
        } finally {
            server.close();
        }
        Path segment;
        try (Stream<Path> files = Files.list(dataDir.resolve("wal"))) {
            segment = files.filter(p -> p.toString().endsWith(".wal"))
                    .filter(p -> p.toFile().length() > 0)
                    .max(Path::compareTo)
                    .orElseThrow();
        }
        // A write torn by the crash: a frame header promising more bytes than follow.
        Files.write(
                segment, new byte[] {0x4E, 0x4A, 0x57, 0x4C, 0, 0, 1, 0, 1, 2, 3, 4, 5, 6}, StandardOpenOption.APPEND);

        try (ServerProcess restarted = ServerProcess.start(dataDir, env(Map.of()))) {
            assertThat(restarted.output()).contains("cut a torn tail of 14 bytes");
            awaitRecords(restarted, marker, 5);
            HttpResponse<String> metrics = restarted.get("/q/metrics", KEY);
            assertThat(metrics.body()).containsPattern("nightjar_wal_truncated_bytes_total(\\{[^}]*\\})? 14\\.0");
            assertThat(post(
                                    restarted,
                                    "/v1/logs",
                                    KEY,
                                    logs("torn", List.of(log("after"))).toByteArray(),
                                    false)
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void fullDiskUnderTheWalFailsClosedAndRecovers(@TempDir Path mountPoint) throws Exception {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(mountPoint, "2m")) {
            Path filler = tmpfs.path().resolve("filler");
            Files.write(filler, new byte[1536 * 1024]);
            String marker = "full" + Long.toHexString(System.nanoTime());
            try (ServerProcess server = ServerProcess.start(
                    dataDir,
                    env(Map.of("NIGHTJAR_WAL_DIR", tmpfs.path().resolve("wal").toString())))) {
                HttpResponse<String> refused = null;
                List<String> acknowledged = new ArrayList<>();
                for (int n = 0; n < 100 && refused == null; n++) {
                    List<io.opentelemetry.proto.logs.v1.LogRecord> batch = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        batch.add(log(marker + " n" + n + "i" + i + " " + "y".repeat(50_000)));
                    }
                    HttpResponse<String> r =
                            post(server, "/v1/logs", KEY, logs("full", batch).toByteArray(), false);
                    if (r.statusCode() == 200) {
                        batch.forEach(b -> acknowledged.add(b.getBody().getStringValue()));
                    } else {
                        refused = r;
                    }
                }
                assertThat(refused).as("the WAL's disk filled up").isNotNull();
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).contains("write-ahead log");
                assertThat(server.get("/q/health/live", null).statusCode()).isEqualTo(200);

                Files.delete(filler);
                HttpResponse<String> healed = post(
                        server,
                        "/v1/logs",
                        KEY,
                        logs("full", List.of(log(marker + " after space returned")))
                                .toByteArray(),
                        false);
                assertThat(healed.statusCode()).isEqualTo(200);
                awaitRecords(server, marker, acknowledged.size() + 1);
            }
        }
    }

    private static void awaitRecords(ServerProcess server, String marker, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int last = -1;
        List<String> bodies = List.of();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = server.get("/api/v1/logs?limit=1000&q=" + marker, KEY);
            if (r.statusCode() == 200) {
                var records = Json.parse(r.body()).get("records");
                last = records.size();
                List<String> seen = new ArrayList<>();
                records.forEach(rec -> seen.add(rec.get("body")
                        .asText()
                        .substring(0, Math.min(40, rec.get("body").asText().length()))));
                bodies = seen;
                if (last == count) {
                    return;
                }
            }
            ServerProcess.sleep(250);
        }
        throw new AssertionError(
                "expected " + count + " records with " + marker + ", last saw " + last + ": " + bodies);
    }
}
