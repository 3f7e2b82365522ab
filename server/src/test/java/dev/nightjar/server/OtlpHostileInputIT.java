package dev.nightjar.server;

import static dev.nightjar.server.OtlpRequests.kv;
import static dev.nightjar.server.OtlpRequests.log;
import static dev.nightjar.server.OtlpRequests.logs;
import static dev.nightjar.server.OtlpRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile OTLP input against the packaged server: each gets the right error while the server keeps
 * serving, and no tenant sees another tenant's telemetry.
 */
class OtlpHostileInputIT {
    private static final String KEY = "nj_otlp_hostile_admin_key_0123456789";
    private static final String OTHER_TENANT_KEY = "nj_otlp_hostile_tenant_b_key_98765";

    @TempDir
    static Path dataDir;

    private static EmbeddedPostgres externalDb;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
        server = ServerProcess.start(
                dataDir,
                ServerProcess.databaseEnv(
                        externalDb,
                        KEY,
                        Map.of(
                                "NIGHTJAR_OTLP_HTTP_PORT",
                                "-1",
                                "NIGHTJAR_OTLP_GRPC_PORT",
                                "-1",
                                "NIGHTJAR_INGEST_MAX_REQUEST_BYTES",
                                "1048576",
                                "NIGHTJAR_INGEST_MAX_DECOMPRESSED_BYTES",
                                "4194304")));
        insertOtherTenantWithKey(OTHER_TENANT_KEY);
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
    void eachHostileRequestGetsTheRightErrorAndTheServerKeepsServing() throws Exception {
        byte[] valid = logs("hostile", List.of(log("still serving"))).toByteArray();

        HttpResponse<String> oversized = post(server, "/v1/logs", KEY, new byte[2 << 20], false);
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(oversized.body()).contains("exceeds the limit of 1048576 bytes");

        HttpResponse<String> bomb = post(server, "/v1/logs", KEY, new byte[64 << 20], true);
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(bomb.body()).contains("decompressed body exceeds the limit of 4194304 bytes");

        HttpResponse<String> malformed = post(server, "/v1/logs", KEY, new byte[] {0x0a, (byte) 0xff, 0x7f}, false);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("cannot parse the OTLP protobuf request");

        byte[] badUtf8 = logs("hostile", List.of(log("ZZZZ"))).toByteArray();
        int at = indexOf(badUtf8, "ZZZZ".getBytes(StandardCharsets.US_ASCII));
        badUtf8[at] = (byte) 0xC3;
        badUtf8[at + 1] = (byte) 0x28;
        assertThat(post(server, "/v1/logs", KEY, badUtf8, false).statusCode()).isEqualTo(400);

        var many = log("ten thousand attributes").toBuilder();
        for (int i = 0; i < 10_000; i++) {
            many.addAttributes(kv("attr." + i, "v"));
        }
        HttpResponse<byte[]> partial = OtlpRequests.sendBytes(HttpRequest.newBuilder(server.uri("/v1/logs"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        logs("hostile", List.of(many.build(), log("the valid one")))
                                .toByteArray())));
        assertThat(partial.statusCode()).isEqualTo(200);
        var partialSuccess = ExportLogsServiceResponse.parseFrom(partial.body()).getPartialSuccess();
        assertThat(partialSuccess.getRejectedLogRecords()).isEqualTo(1);
        assertThat(partialSuccess.getErrorMessage()).contains("10000 attributes");

        HttpResponse<String> json = server.send(HttpRequest.newBuilder(server.uri("/v1/logs"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceLogs\": [{\"scopeLogs\": 7}]}")));
        assertThat(json.statusCode()).isEqualTo(400);

        assertThat(post(server, "/v1/logs", KEY, valid, false).statusCode()).isEqualTo(200);
        assertThat(server.get("/q/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongAndRevokedKeysAreRefused() {
        byte[] valid = logs("keys", List.of(log("k"))).toByteArray();
        assertThat(post(server, "/v1/logs", null, valid, false).statusCode()).isEqualTo(401);
        assertThat(post(server, "/v1/logs", "nj_wrong_key_00000000000000000000", valid, false)
                        .statusCode())
                .isEqualTo(401);

        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"reader\",\"scopes\":[\"read\"]}")));
        assertThat(created.statusCode()).isEqualTo(201);
        String readOnly = Json.parse(created.body()).get("secret").asText();
        assertThat(post(server, "/v1/logs", readOnly, valid, false).statusCode())
                .isEqualTo(403);

        created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sender\",\"scopes\":[\"ingest\"]}")));
        JsonNode sender = Json.parse(created.body());
        String ingestKey = sender.get("secret").asText();
        assertThat(post(server, "/v1/logs", ingestKey, valid, false).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/api/v1/logs", ingestKey).statusCode()).isEqualTo(403);
        HttpResponse<String> revoked = server.send(HttpRequest.newBuilder(server.uri(
                        "/api/v1/api-keys/" + sender.get("key").get("id").asText()))
                .header("Authorization", "Bearer " + KEY)
                .DELETE());
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(post(server, "/v1/logs", ingestKey, valid, false).statusCode())
                .isEqualTo(401);
    }

    @Test
    void noTenantSeesAnotherTenantsTelemetry() {
        String marker = "secret" + UUID.randomUUID().toString().replace("-", "");
        byte[] traceId = HexFormat.of().parseHex("a1a2a3a4a5a6a7a8a9aaabacadaeaf00");
        assertThat(post(
                                server,
                                "/v1/logs",
                                OTHER_TENANT_KEY,
                                logs("tenant-b", List.of(log(marker))).toByteArray(),
                                false)
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(
                                server,
                                "/v1/traces",
                                OTHER_TENANT_KEY,
                                OtlpRequests.span("tenant-b", traceId, "b-op").toByteArray(),
                                false)
                        .statusCode())
                .isEqualTo(200);
        // Tenant B sees its own data, so it is stored and visible (logs and spans are made visible
        // by separate pipelines: each is awaited)...
        awaitCount("/api/v1/logs?q=" + marker, OTHER_TENANT_KEY, 1);
        awaitStatus("/api/v1/traces/a1a2a3a4a5a6a7a8a9aaabacadaeaf00", OTHER_TENANT_KEY, 200);
        // ...and tenant A sees none of it, by search, by id, or through the Jaeger API.
        assertThat(Json.parse(server.get("/api/v1/logs?q=" + marker, KEY).body())
                        .get("records"))
                .isEmpty();
        assertThat(server.get("/api/v1/traces/a1a2a3a4a5a6a7a8a9aaabacadaeaf00", KEY)
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/jaeger/api/traces/a1a2a3a4a5a6a7a8a9aaabacadaeaf00", KEY)
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/jaeger/api/services", KEY).body()).doesNotContain("tenant-b");
        assertThat(server.get("/api/v1/traces/services", KEY).body()).doesNotContain("tenant-b");
    }

    private static void awaitStatus(String path, String key, int status) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = server.get(path, key).statusCode();
            if (last == status) {
                return;
            }
            ServerProcess.sleep(250);
        }
        throw new AssertionError(path + " answered " + last + ", not " + status + ", within 60 s");
    }

    private static void awaitCount(String path, String key, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = server.get(path, key);
            if (r.statusCode() == 200 && Json.parse(r.body()).get("records").size() == count) {
                return;
            }
            ServerProcess.sleep(250);
        }
        throw new AssertionError(path + " never returned " + count + " records");
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

    private static void insertOtherTenantWithKey(String key) throws Exception {
        OtherTenant.insertWithKey(
                externalDb.getPostgresDatabase(), key, "tenant b admin", Set.of("admin", "read", "ingest"));
    }
}
