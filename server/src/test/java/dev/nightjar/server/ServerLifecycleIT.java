package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server on its embedded database: ready, migrated, bootstrapped once, stops, keeps data. */
class ServerLifecycleIT {
    private static final String PASSWORD = "first-start-password-1";
    private static final String KEY = "nj_lifecycle_key_0123456789abcdef";

    @Test
    void startsBootstrapsOnceStopsCleanlyAndKeepsItsData(@TempDir Path dataDir) {
        String createdKeyId;
        try (ServerProcess first = ServerProcess.start(
                dataDir, Map.of("NIGHTJAR_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD, "NIGHTJAR_BOOTSTRAP_API_KEY", KEY))) {
            JsonNode ready = Json.parse(first.get("/q/health/ready", null).body());
            assertThat(ready.path("status").asText()).isEqualTo("UP");
            assertThat(check(ready, "migrations").path("data").path("version").asText())
                    .isEqualTo("1");
            assertThat(check(ready, "migrations").path("data").path("pending").asInt())
                    .isZero();
            assertThat(check(ready, "storage").path("status").asText()).isEqualTo("UP");

            assertThat(first.output()).contains("Nightjar first start");
            assertThat(first.bannerValue("Password")).contains(PASSWORD);
            assertThat(first.bannerValue("API key")).contains(KEY);
            assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();

            assertThat(loginStatus(first, "admin", PASSWORD)).isEqualTo("/");
            HttpResponse<String> created = first.send(HttpRequest.newBuilder(first.uri("/api/v1/api-keys"))
                    .header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"survives restart\",\"scopes\":[\"read\"]}")));
            assertThat(created.statusCode()).isEqualTo(201);
            createdKeyId = Json.parse(created.body()).path("key").path("id").asText();

            int exit = first.stop();
            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
            assertThatThrownBy(() -> first.get("/q/health/live", null))
                    .as("the HTTP port is released")
                    .isInstanceOf(java.io.UncheckedIOException.class);
            assertThat(first.output()).doesNotContain(" ERROR ");
        }
        awaitGone(dataDir.resolve("postgres/postmaster.pid"));

        // Different bootstrap values on a later start must be ignored: they are read on first start only.
        try (ServerProcess second = ServerProcess.start(
                dataDir,
                Map.of(
                        "NIGHTJAR_BOOTSTRAP_ADMIN_PASSWORD", "another-password-2",
                        "NIGHTJAR_BOOTSTRAP_API_KEY", "nj_another_key_0123456789abcdef"))) {
            assertThat(second.output()).doesNotContain("Nightjar first start");
            assertThat(second.get("/api/v1/whoami", "nj_another_key_0123456789abcdef")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(loginStatus(second, "admin", "another-password-2")).isEqualTo("/login?error");
            assertThat(loginStatus(second, "admin", PASSWORD)).isEqualTo("/");

            JsonNode users = Json.parse(second.get("/api/v1/users", KEY).body());
            assertThat(users).hasSize(1);
            assertThat(users.get(0).path("username").asText()).isEqualTo("admin");
            assertThat(users.get(0).path("role").asText()).isEqualTo("admin");

            HttpResponse<String> kept = second.get("/api/v1/api-keys/" + createdKeyId, KEY);
            assertThat(kept.statusCode()).isEqualTo(200);
            assertThat(Json.parse(kept.body()).path("name").asText()).isEqualTo("survives restart");
        }
        awaitGone(dataDir.resolve("postgres/postmaster.pid"));
    }

    @Test
    void aDisabledRoleAnswers404WhileHealthStaysUp(@TempDir Path dataDir) {
        try (ServerProcess ingestOnly = ServerProcess.start(dataDir, Map.of("NIGHTJAR_ROLES", "ingest"))) {
            assertThat(ingestOnly.output()).contains("roles enabled: [INGEST]");
            assertThat(ingestOnly.get("/api/v1/whoami", null).statusCode()).isEqualTo(404);
            assertThat(ingestOnly.get("/login", null).statusCode()).isEqualTo(404);
            assertThat(ingestOnly.get("/q/health/ready", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void restartsAfterBeingKilledAndKeepsItsData(@TempDir Path dataDir) {
        try (ServerProcess first = ServerProcess.start(dataDir, Map.of("NIGHTJAR_BOOTSTRAP_API_KEY", KEY))) {
            assertThat(first.get("/api/v1/whoami", KEY).statusCode()).isEqualTo(200);
            first.kill();
        }
        // The embedded PostgreSQL outlived the killed server; the next start must stop it and go on.
        try (ServerProcess second = ServerProcess.start(dataDir, Map.of())) {
            assertThat(second.output()).contains("left running by a previous Nightjar");
            assertThat(second.get("/api/v1/whoami", KEY).statusCode()).isEqualTo(200);
            assertThat(second.output()).doesNotContain("Nightjar first start");
        }
        awaitGone(dataDir.resolve("postgres/postmaster.pid"));
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesToStart(@TempDir Path dataDir) throws Exception {
        try (ServerProcess first = ServerProcess.start(dataDir, Map.of())) {
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(
                            javaBin.toString(), "-jar", ServerProcess.jar().toString())
                    .redirectErrorStream(true);
            builder.environment().put("NIGHTJAR_DATA_DIR", dataDir.toString());
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(dev.nightjar.testing.FreePorts.next()));
            Process second = builder.start();
            second.getOutputStream().close();
            String output = new String(second.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(second.waitFor()).isEqualTo(2);
            assertThat(output).contains("another Nightjar is running with the data directory");
            assertThat(output).doesNotContain("Exception");
            assertThat(first.get("/q/health/ready", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anOutOfOrderWindowBeyondTheBlockRangeStopsTheStartWithTheKeyNamed(@TempDir Path dataDir) throws Exception {
        for (String window : new String[] {"3h", "soon"}) {
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(
                            javaBin.toString(), "-jar", ServerProcess.jar().toString())
                    .redirectErrorStream(true);
            builder.environment().keySet().removeIf(k -> k.startsWith("NIGHTJAR_") || k.startsWith("QUARKUS_"));
            builder.environment()
                    .put("NIGHTJAR_DATA_DIR", dataDir.resolve(window).toString());
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(dev.nightjar.testing.FreePorts.next()));
            builder.environment().put("NIGHTJAR_METRICS_OUT_OF_ORDER_WINDOW", window);
            Process server = builder.start();
            server.getOutputStream().close();
            String output = new String(server.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(server.waitFor()).as(output).isNotZero();
            assertThat(output).contains("nightjar.metrics.out-of-order-window");
        }
    }

    @Test
    void aLocalSensorKeyFileBecomesOneIngestOnlyKey(@TempDir Path dataDir) throws Exception {
        Path keyFile = dataDir.resolve("local-sensor.key");
        Files.writeString(keyFile, "nj_local_sensor_key_0123456789abcdef\n");
        Map<String, String> env =
                Map.of("NIGHTJAR_LOCAL_SENSOR_KEY_FILE", keyFile.toString(), "NIGHTJAR_BOOTSTRAP_API_KEY", KEY);
        for (int start = 0; start < 2; start++) {
            try (ServerProcess server = ServerProcess.start(dataDir, env)) {
                JsonNode whoami = Json.parse(server.get("/api/v1/whoami", "nj_local_sensor_key_0123456789abcdef")
                        .body());
                assertThat(whoami.path("permissions").toString()).isEqualTo("[\"ingest\"]");
                JsonNode keys = Json.parse(server.get("/api/v1/api-keys", KEY).body());
                assertThat(keys.findValuesAsText("name")).containsOnlyOnce("local node sensor");
            }
        }
    }

    /** Posts the login form and returns where it redirects: {@code /} on success. */
    static String loginStatus(ServerProcess server, String user, String password) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password)));
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElse("");
        return location.replaceFirst("^https?://[^/]+", "");
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no health check named " + name + " in " + health);
    }

    private static void awaitGone(Path file) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Files.exists(file) && Instant.now().isBefore(deadline)) {
            ServerProcess.sleep(200);
        }
        assertThat(file).as("embedded PostgreSQL shut down").doesNotExist();
    }
}
