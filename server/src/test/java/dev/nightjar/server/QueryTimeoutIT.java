package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query time limit against a live server: with {@code nightjar.query.timeout} far below what any
 * query takes, expensive queries over stored logs and spans stop inside the store and answer 503
 * {@code query_timeout} with a clear message, while ingest and health go on unaffected.
 */
class QueryTimeoutIT {
    private static final String KEY = "nj_query_timeout_it_admin_key_012345";

    @TempDir
    static Path dataDir;

    static ServerProcess server;

    @BeforeAll
    static void start() {
        // One microsecond: every query is past its deadline by the time the store first checks it.
        server = ServerProcess.start(
                dataDir, Map.of("NIGHTJAR_BOOTSTRAP_API_KEY", KEY, "NIGHTJAR_QUERY_TIMEOUT", "PT0.000001S"));
        List<io.opentelemetry.proto.logs.v1.LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(OtlpRequests.log("order " + i + " took " + i + " ms in shard " + (i % 7)));
        }
        assertThat(OtlpRequests.post(
                                server,
                                "/v1/logs",
                                KEY,
                                OtlpRequests.logs("checkout", records).toByteArray(),
                                false)
                        .statusCode())
                .isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            byte[] traceId = new byte[16];
            ThreadLocalRandom.current().nextBytes(traceId);
            assertThat(OtlpRequests.post(
                                    server,
                                    "/v1/traces",
                                    KEY,
                                    OtlpRequests.span("checkout", traceId, "GET /cart")
                                            .toByteArray(),
                                    true)
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Queries that make a store work: the longest range allowed, many words, no selective filter. */
    private static List<String> hostileQueries() {
        Instant end = Instant.now().plusSeconds(60);
        String range = "start=" + q(end.minus(Duration.ofDays(32)).toString()) + "&end=" + q(end.toString());
        return List.of(
                "/api/v1/logs?" + range + "&q=order&q=took&q=ms&q=in&q=shard&limit=1000",
                "/api/v1/logs/histogram?" + range + "&bucketSeconds=3600",
                "/api/v1/traces/services?" + range,
                "/api/v1/traces/red?" + range,
                "/api/v1/traces/spans?" + range + "&minDurationMs=0&limit=1000",
                "/jaeger/api/traces?service=checkout&lookback=2d&limit=1000");
    }

    @Test
    void expensiveQueriesStopAtTheTimeLimitWithAClearError() {
        for (String path : hostileQueries()) {
            HttpResponse<String> r = server.get(path, KEY);
            assertThat(r.statusCode()).as(path).isEqualTo(503);
            JsonNode body = Json.parse(r.body());
            assertThat(body.toString()).as(path).contains("query_timeout").contains("narrow the time range");
            assertThat(r.headers().firstValue("Retry-After")).as(path).isPresent();
        }
    }

    @Test
    void theServerKeepsIngestingAndServingWhileQueriesTimeOut() {
        for (String path : hostileQueries()) {
            server.get(path, KEY);
        }
        assertThat(server.get("/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(OtlpRequests.post(
                                server,
                                "/v1/logs",
                                KEY,
                                OtlpRequests.logs("checkout", List.of(OtlpRequests.log("after the timeouts")))
                                        .toByteArray(),
                                false)
                        .statusCode())
                .isEqualTo(200);
    }
}
