package dev.nightjar.server;

import static dev.nightjar.server.OtlpRequests.log;
import static dev.nightjar.server.OtlpRequests.logs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: records stream in continuously from several senders, the server is killed with SIGKILL
 * mid-stream, restarted on the same data directory, and every acknowledged record is queryable exactly
 * once and unchanged. Checkpoints run every second, so the kill lands around store commits and WAL
 * segment deletions too.
 */
class OtlpCrashIT {
    private static final String KEY = "nj_otlp_crash_it_admin_key_0123456789";
    private static final int SENDERS = 4;
    private static final int ACKS_BEFORE_KILL = 600;

    @TempDir
    Path dataDir;

    private static EmbeddedPostgres externalDb;

    // An external database: SIGKILL of the server would leave an embedded PostgreSQL's children running.
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

    private Map<String, String> env() {
        return ServerProcess.databaseEnv(
                externalDb,
                KEY,
                Map.of(
                        "NIGHTJAR_OTLP_HTTP_PORT",
                        "-1",
                        "NIGHTJAR_OTLP_GRPC_PORT",
                        "-1",
                        "NIGHTJAR_WAL_CHECKPOINT_INTERVAL",
                        "1s"));
    }

    @Test
    void everyAcknowledgedRecordSurvivesAKillExactlyOnce() throws Exception {
        String run = "crash" + Long.toHexString(System.nanoTime());
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ServerProcess server = ServerProcess.start(dataDir, env());
        List<Thread> senders = new ArrayList<>();
        try {
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                Thread t = Thread.ofPlatform().name("sender-" + s).start(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        List<io.opentelemetry.proto.logs.v1.LogRecord> batch = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            batch.add(log(run + " s" + sender + "n" + n + "i" + i + " body " + "x".repeat(i * 10)));
                        }
                        try {
                            HttpResponse<String> r = OtlpRequests.post(
                                    server,
                                    "/v1/logs",
                                    KEY,
                                    logs("crash-test", batch).toByteArray(),
                                    n % 2 == 0);
                            if (r.statusCode() == 200) {
                                batch.forEach(b -> acknowledged.add(b.getBody().getStringValue()));
                                acks.addAndGet(batch.size());
                            }
                        } catch (RuntimeException connectionLost) {
                            // the server is gone; this batch was never acknowledged
                        }
                    }
                });
                senders.add(t);
            }
            while (acks.get() < ACKS_BEFORE_KILL) {
                ServerProcess.sleep(20);
            }
            server.kill();
        } finally {
            stop.set(true);
            for (Thread t : senders) {
                t.join(60_000);
            }
            server.close();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (ServerProcess restarted = ServerProcess.start(dataDir, env())) {
            Map<String, Integer> seen = readAll(restarted, run);
            List<String> missing = acknowledged.stream()
                    .filter(b -> !seen.containsKey(b))
                    .sorted()
                    .toList();
            assertThat(missing)
                    .as(() ->
                            missing.size() + " of " + acknowledged.size() + " acknowledged records lost in the crash ("
                                    + seen.size() + " of this run's records found); the restarted server said:\n"
                                    + restarted.output())
                    .isEmpty();
            assertThat(seen.entrySet().stream()
                            .filter(e -> e.getValue() > 1)
                            .map(Map.Entry::getKey)
                            .toList())
                    .as("records stored twice")
                    .isEmpty();
            assertThat(seen.keySet()).allMatch(b -> b.matches(run + " s\\d+n\\d+i\\d+ body x*"), "uncorrupted bodies");
            assertThat(restarted.output()).contains("WAL replay:");
        }
    }

    /** Every record whose body contains the run marker, counted by body, paging through the search API. */
    private static Map<String, Integer> readAll(ServerProcess server, String run) {
        Instant end = Instant.now().plusSeconds(60);
        Instant start = end.minus(Duration.ofHours(2));
        Map<String, Integer> seen = new HashMap<>();
        String cursor = null;
        do {
            String path = "/api/v1/logs?limit=1000&q=" + run + "&start=" + start + "&end=" + end
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> r = server.get(path, KEY);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = Json.parse(r.body());
            page.get("records").forEach(rec -> seen.merge(rec.get("body").asText(), 1, Integer::sum));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        return seen;
    }
}
