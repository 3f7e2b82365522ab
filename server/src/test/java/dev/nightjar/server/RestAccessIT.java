package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST access rules against the packaged server using an external PostgreSQL (the setting users
 * choose when they outgrow the embedded one): 401 without credentials, 403 for the wrong scope,
 * 404 for another tenant's objects, 400 for hostile bodies.
 */
class RestAccessIT {
    private static final String ADMIN_KEY = "nj_rest_access_admin_key_0123456789";
    private static final String OTHER_TENANT_KEY = "nj_other_tenant_admin_key_987654321";
    private static final List<String> PROTECTED =
            List.of("/api/v1/whoami", "/api/v1/api-keys", "/api/v1/users", "/api/v1/api-keys/" + UUID.randomUUID());

    @TempDir
    static Path dataDir;

    private static EmbeddedPostgres externalDb;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
        server = ServerProcess.start(dataDir, ServerProcess.databaseEnv(externalDb, ADMIN_KEY, Map.of()));
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
    void usesTheExternalDatabaseInsteadOfAnEmbeddedOne() {
        assertThat(server.output()).doesNotContain("embedded PostgreSQL started");
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void anonymousAndBogusCredentialsGet401() {
        List<String> bogus = List.of(
                "Bearer nj_not_a_real_key_000000000000",
                "Bearer ' OR '1'='1'; drop table api_keys; --",
                "Basic !!!",
                "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)),
                "Negotiate abc",
                "Bearer nj_\u00e9\u00e8\u00ea_unicode_key_0000000000");
        for (String path : PROTECTED) {
            assertThat(server.get(path, null).statusCode())
                    .as("anonymous %s", path)
                    .isEqualTo(401);
            assertThat(server.get(path, null).headers().firstValue("WWW-Authenticate"))
                    .contains("Bearer realm=\"nightjar\"");
            for (String header : bogus) {
                HttpResponse<String> response =
                        server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", header));
                assertThat(response.statusCode()).as("%s with %s", path, header).isEqualTo(401);
            }
        }
        assertThat(server.get("/q/metrics", null).statusCode()).isEqualTo(401);
        HttpResponse<String> oversized = server.send(HttpRequest.newBuilder(server.uri("/api/v1/whoami"))
                .header("Authorization", "Bearer " + "A".repeat(20_000)));
        assertThat(oversized.statusCode()).as("oversized header").isEqualTo(431);
        HttpResponse<String> longButAllowed = server.send(HttpRequest.newBuilder(server.uri("/api/v1/whoami"))
                .header("Authorization", "Bearer " + "A".repeat(4000)));
        assertThat(longButAllowed.statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v1/whoami", ADMIN_KEY).statusCode())
                .as("server still serves")
                .isEqualTo(200);
    }

    @Test
    void anIngestKeyIsForbiddenFromAdminEndpoints() {
        String ingestKey = createKey(ADMIN_KEY, "ingest only", "ingest");
        assertThat(server.get("/api/v1/whoami", ingestKey).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/api-keys", ingestKey).statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/users", ingestKey).statusCode()).isEqualTo(403);
        assertThat(server.get("/q/metrics", ingestKey).statusCode()).isEqualTo(403);
        HttpResponse<String> create = post("/api/v1/api-keys", ingestKey, "{\"name\":\"x\",\"scopes\":[\"admin\"]}");
        assertThat(create.statusCode()).isEqualTo(403);
    }

    @Test
    void aReadKeySeesNightjarsOwnMetrics() {
        String readKey = createKey(ADMIN_KEY, "metrics reader", "read");
        HttpResponse<String> metrics = server.get("/q/metrics", readKey);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds_count");
    }

    @Test
    void anotherTenantsObjectsAreNotFound() {
        String keyId = Json.parse(post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"tenant a\",\"scopes\":[\"read\"]}")
                        .body())
                .path("key")
                .path("id")
                .asText();
        assertThat(server.get("/api/v1/api-keys/" + keyId, ADMIN_KEY).statusCode())
                .isEqualTo(200);

        assertThat(server.get("/api/v1/api-keys/" + keyId, OTHER_TENANT_KEY).statusCode())
                .isEqualTo(404);
        HttpResponse<String> revoke = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys/" + keyId))
                .header("Authorization", "Bearer " + OTHER_TENANT_KEY)
                .DELETE());
        assertThat(revoke.statusCode()).isEqualTo(404);
        assertThat(Json.parse(server.get("/api/v1/api-keys/" + keyId, ADMIN_KEY).body())
                        .path("revoked")
                        .asBoolean())
                .as("the other tenant could not revoke it")
                .isFalse();

        JsonNode otherList =
                Json.parse(server.get("/api/v1/api-keys", OTHER_TENANT_KEY).body());
        assertThat(otherList).hasSize(1);
        assertThat(otherList.get(0).path("name").asText()).isEqualTo("tenant b admin");
        assertThat(Json.parse(server.get("/api/v1/users", OTHER_TENANT_KEY).body()))
                .isEmpty();
        assertThat(Json.parse(server.get("/api/v1/whoami", OTHER_TENANT_KEY).body())
                        .path("tenant")
                        .asText())
                .isNotEqualTo(Json.parse(server.get("/api/v1/whoami", ADMIN_KEY).body())
                        .path("tenant")
                        .asText());
    }

    @Test
    void revokedKeysAreRefusedAtOnce() {
        HttpResponse<String> created =
                post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"short lived\",\"scopes\":[\"read\"]}");
        JsonNode body = Json.parse(created.body());
        String secret = body.path("secret").asText();
        assertThat(server.get("/api/v1/whoami", secret).statusCode()).isEqualTo(200);
        HttpResponse<String> revoke = server.send(HttpRequest.newBuilder(server.uri(
                        "/api/v1/api-keys/" + body.path("key").path("id").asText()))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .DELETE());
        assertThat(revoke.statusCode()).isEqualTo(204);
        assertThat(server.get("/api/v1/whoami", secret).statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v1/api-keys", ADMIN_KEY).body()).doesNotContain(secret);
    }

    @Test
    void hostileBodiesGetClearErrors() {
        assertError(
                post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"" + "n".repeat(101) + "\",\"scopes\":[\"read\"]}"),
                "at most 100");
        assertError(post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"x\",\"scopes\":[\"root\"]}"), "unknown scope");
        assertError(post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"x\",\"scopes\":[]}"), "at least one");
        assertError(
                post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"bad\\u0000name\",\"scopes\":[\"read\"]}"),
                "control characters");
        assertThat(post("/api/v1/api-keys", ADMIN_KEY, "{\"name\": [").statusCode())
                .isEqualTo(400);
        assertThat(post("/api/v1/api-keys", ADMIN_KEY, "").statusCode()).isEqualTo(400);
        assertThat(server.get("/api/v1/api-keys/not-a-uuid", ADMIN_KEY).statusCode())
                .isEqualTo(404);
        assertThat(server.get("/api/v1/api-keys/%27%20OR%201=1--", ADMIN_KEY).statusCode())
                .isEqualTo(404);

        String script = "<script>alert(1)</script>";
        HttpResponse<String> stored =
                post("/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"" + script + "\",\"scopes\":[\"read\"]}");
        assertThat(stored.statusCode()).isEqualTo(201);
        assertThat(stored.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.parse(stored.body()).path("key").path("name").asText()).isEqualTo(script);
        assertThat(server.get("/api/v1/whoami", ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parse(response.body()).path("message").asText()).contains(message);
    }

    private static HttpResponse<String> post(String path, String key, String json) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String createKey(String adminKey, String name, String scope) {
        HttpResponse<String> created =
                post("/api/v1/api-keys", adminKey, "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.parse(created.body()).path("secret").asText();
    }

    private static void insertOtherTenantWithKey(String key) throws Exception {
        OtherTenant.insertWithKey(
                externalDb.getPostgresDatabase(), key, "tenant b admin", Set.of("admin", "read", "ingest"));
    }
}
