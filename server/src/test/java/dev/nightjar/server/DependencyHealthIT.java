package dev.nightjar.server;

import static dev.nightjar.server.ServiceMapIT.client;
import static dev.nightjar.server.ServiceMapIT.counter;
import static dev.nightjar.server.ServiceMapIT.kv;
import static dev.nightjar.server.ServiceMapIT.process;
import static dev.nightjar.server.ServiceMapIT.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dependency health as metrics on the packaged server: sensor-shaped OTLP series go in for two tenants,
 * the background job scores each tenant's dependencies, and the scores come back through the
 * Prometheus-compatible query API, each tenant seeing only its own.
 */
class DependencyHealthIT {
    static final String KEY = "nj_dependency_health_it_key_a_0123456789";
    static final String OTHER_KEY = "nj_dependency_health_it_key_b_0123456789";

    @TempDir
    static Path dataDir;

    static EmbeddedPostgres externalDb;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        externalDb = EmbeddedPostgres.builder().start();
        server = ServerProcess.start(
                dataDir,
                ServerProcess.databaseEnv(externalDb, KEY, Map.of("NIGHTJAR_DEPENDENCY_HEALTH_INTERVAL", "1s")));
        OtherTenant.insertWithKey(externalDb.getPostgresDatabase(), OTHER_KEY, "tenant b", Set.of("read", "ingest"));

        // Tenant A: an app whose connects to an external API half fail.
        var app = process("100", "app");
        var toApi = client(app, "93.184.216.34", "api.example.com", "443");
        export(
                KEY,
                List.of(
                        counter("nightjar.tcp.connects", "{connection}", with(toApi, "outcome", "established"), 2),
                        counter("nightjar.tcp.connects", "{connection}", with(toApi, "outcome", "refused"), 2)));
        // Tenant B: a healthy private dependency A must never see.
        var secret = process("200", "secret-service");
        var toDb = client(secret, "10.9.9.9", "tenant-b.internal", "5432");
        export(
                OTHER_KEY,
                List.of(counter("nightjar.tcp.connects", "{connection}", with(toDb, "outcome", "established"), 3)));
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
    void scoresAppearAsSeriesForTheirOwnTenantOnly() {
        Map<String, Double> a = awaitScores(KEY, "api.example.com:443");
        assertThat(a).containsKeys("reliability", "responsiveness", "stability", "packet_health", "composite");
        assertThat(a.get("reliability")).isCloseTo(0.5, Offset.offset(0.01));
        assertThat(a.get("composite")).isLessThan(0.9);
        assertThat(destinations(KEY)).containsOnly("api.example.com:443");

        Map<String, Double> b = awaitScores(OTHER_KEY, "tenant-b.internal:5432");
        assertThat(b.get("reliability")).isEqualTo(1.0);
        assertThat(destinations(OTHER_KEY)).containsOnly("tenant-b.internal:5432");
    }

    private static final Set<String> SCORES =
            Set.of("reliability", "responsiveness", "stability", "packet_health", "composite");

    /**
     * Polls the query API until the job has written all the destination's scores (it runs every
     * second; a batch's series become visible one by one, so a query may land inside a batch).
     */
    private static Map<String, Double> awaitScores(String key, String destination) {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, Double> scores = new HashMap<>();
            for (JsonNode s : query(key, "nightjar_dependency_health_score{destination=\"" + destination + "\"}")) {
                assertThat(s.at("/metric/source").asText()).isNotEmpty();
                scores.put(s.at("/metric/score").asText(), s.at("/value/1").asDouble());
            }
            if (scores.keySet().containsAll(SCORES)) {
                return scores;
            }
            ServerProcess.sleep(500);
        }
        return fail("no dependency health series for " + destination);
    }

    private static Set<String> destinations(String key) {
        Set<String> out = new java.util.TreeSet<>();
        query(key, "nightjar_dependency_health_score")
                .forEach(s -> out.add(s.at("/metric/destination").asText()));
        return out;
    }

    private static JsonNode query(String key, String promql) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(
                        server.uri("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + key)
                .GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body()).at("/data/result");
    }

    private static void export(String key, List<Metric> metrics) {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", "nightjar-sensor"))
                                .addAttributes(kv("host.name", "node-1")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
                .build();
        HttpResponse<String> exported = server.send(HttpRequest.newBuilder(server.uri("/v1/metrics"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())));
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
    }
}
