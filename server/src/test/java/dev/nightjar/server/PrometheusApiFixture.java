package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One packaged server with an external Postgres, an ingest-only and a read-only key, another tenant, and
 * three series written by remote_write a minute ago; the Prometheus API tests query and write against it.
 * Each test class gets its own server (started once per class).
 */
abstract class PrometheusApiFixture {
    static final String ADMIN_KEY = "nj_prometheus_api_admin_key_0123456789";
    static final String OTHER_TENANT_KEY = "nj_prometheus_other_tenant_key_98765";
    static final int SERIES_LIMIT = 1000;

    @TempDir
    static Path dataDir;

    static EmbeddedPostgres externalDb;
    static ServerProcess server;
    static String ingestKey;
    static String readKey;
    /** Whole seconds, a minute ago, so every sample is inside the store's out-of-order window. */
    static final long T0 = (System.currentTimeMillis() / 1000 - 60) * 1000;

    @BeforeAll
    static void start() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
        server = ServerProcess.start(
                dataDir,
                ServerProcess.databaseEnv(
                        externalDb,
                        ADMIN_KEY,
                        Map.of(
                                "NIGHTJAR_METRICS_MAX_SERIES_PER_TENANT",
                                Integer.toString(SERIES_LIMIT),
                                "NIGHTJAR_PROMETHEUS_MAX_RANGE",
                                "P7D")));
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

    static io.opentelemetry.proto.common.v1.KeyValue attribute(String key, String value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey(key)
                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    static void assertError(HttpResponse<String> response, int status, String type, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body())
                .startsWith("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"")
                .contains(message.replace("\"", "\\\""));
    }

    static String seconds(long millis) {
        return Long.toString(millis / 1000);
    }

    static String rfc3339(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static byte[] snappy(byte[] raw) {
        try {
            return org.xerial.snappy.Snappy.compress(raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static HttpResponse<String> get(String path, String key) {
        return server.get(path, key);
    }

    static HttpResponse<String> postForm(String path, String key, String form) {
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

    static String createKey(String name, String scope) {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body()).path("secret").asText();
    }

    static void insertOtherTenantWithKey(String key) throws Exception {
        OtherTenant.insertWithKey(externalDb.getPostgresDatabase(), key, "tenant b reader", Set.of("read", "ingest"));
    }
}
