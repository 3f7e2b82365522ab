package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with a real Prometheus (Debian's 2.42): it scrapes itself and remote-writes into Nightjar
 * with an API key as its {@code authorization} credentials; its series must then be queryable in
 * Nightjar through the Prometheus API.
 */
class PrometheusRemoteWriteIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String KEY = "nj_prometheus_interop_key_0123456789";

    @TempDir
    static Path dir;

    private static ServerProcess server;
    private static Process prometheus;
    private static int prometheusPort;
    private static Path prometheusLog;

    @BeforeAll
    static void start() throws IOException {
        ExternalPiece.require(Files.isExecutable(PROMETHEUS), "Prometheus binary at " + PROMETHEUS);
        server = ServerProcess.start(dir.resolve("nightjar"), Map.of("NIGHTJAR_BOOTSTRAP_API_KEY", KEY));
        int port = FreePorts.next();
        prometheusPort = port;
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/write
                    authorization:
                      credentials: %s
                    queue_config:
                      batch_send_deadline: 1s
                      min_backoff: 100ms
                      max_backoff: 1s
                """.formatted(port, server.port(), KEY));
        prometheusLog = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(prometheusLog.toFile())
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void prometheusRemoteWritesItsOwnSeriesIntoNightjar() throws IOException {
        String up = awaitNonEmpty("up{job=\"prometheus\"}");
        assertThat(up)
                .contains("\"__name__\":\"up\"")
                .contains("\"job\":\"prometheus\"")
                .contains(",\"1\"]");

        String build = awaitNonEmpty("prometheus_build_info");
        assertThat(build).contains("\"version\":\"2.42.0").contains("\"goversion\":");

        HttpResponse<String> rate =
                server.get("/api/v1/query?query=" + enc("sum(rate(prometheus_http_requests_total[1m])) >= 0"), KEY);
        assertThat(rate.statusCode()).isEqualTo(200);
        assertThat(server.output()).doesNotContain("remote_write for tenant");
        assertThat(Files.readString(prometheusLog)).doesNotContain("non-recoverable error");
    }

    /**
     * What a user comparing the two sees: queries over Prometheus' own scrapes, answered by Prometheus from its
     * TSDB and by Nightjar from what Prometheus remote-wrote, at the same past instant and over the same
     * range, compared as written ({@link HttpAnswerComparison}). Remote write lags its scrapes by up to a
     * batch deadline, so a comparison that differs is repeated a few seconds later before it counts.
     */
    @Test
    void queriesOverTheRemoteWrittenScrapesAnswerAsPrometheusDoes() throws Exception {
        awaitNonEmpty("up{job=\"prometheus\"}");
        ServerProcess.sleep(10_000);
        long at = System.currentTimeMillis() - 3_000;
        String time = "&time=" + at / 1000 + "." + String.format("%03d", at % 1000);
        String range = "&start=" + (at / 1000 - 8) + "&end=" + at / 1000 + "&step=1";
        List<String> forms = new ArrayList<>();
        for (String query : List.of(
                "up",
                "prometheus_build_info",
                "count({__name__=~\"prometheus_tsdb_.+\"})",
                "count(count by (__name__) ({job=\"prometheus\"}))",
                "sum by (job) (scrape_samples_scraped)",
                "rate(prometheus_http_requests_total{handler=\"/metrics\"}[5s])",
                "sum by (le) (increase(prometheus_http_request_duration_seconds_bucket{handler=\"/metrics\"}[5s]))",
                "histogram_quantile(0.9, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[5s])))",
                "topk(3, prometheus_tsdb_head_series)",
                "max_over_time(scrape_duration_seconds[5s])",
                "changes(process_cpu_seconds_total[5s])",
                "avg_over_time(go_memstats_alloc_bytes[5s])",
                "go_goroutines > 0",
                // what a dashboard of Prometheus itself asks
                "go_gc_duration_seconds{quantile=\"0.5\"}",
                "rate(go_gc_duration_seconds_sum[5s]) / rate(go_gc_duration_seconds_count[5s])",
                "sort_desc(sum by (handler) (prometheus_http_requests_total))",
                "increase(prometheus_http_requests_total[5s])",
                "rate(process_cpu_seconds_total[5s]) * 100",
                "process_resident_memory_bytes / 1024 / 1024",
                "time() - process_start_time_seconds",
                "prometheus_config_last_reload_successful == 1",
                "absent(up{job=\"nope\"})",
                "count by (job) (up)",
                "deriv(go_memstats_heap_alloc_bytes[5s])",
                "irate(prometheus_tsdb_head_samples_appended_total[5s])",
                "delta(go_goroutines[5s])",
                "prometheus_http_requests_total offset 2s",
                "sum without (instance) (rate(prometheus_http_requests_total[5s]))",
                "histogram_quantile(0.99, rate(prometheus_http_response_size_bytes_bucket[5s]))")) {
            forms.add("/api/v1/query?query=" + enc(query) + time);
            forms.add("/api/v1/query_range?query=" + enc(query) + range);
        }
        ServerProcess.sleep(3_000);
        HttpClient http = HttpClient.newHttpClient();
        HttpAnswerComparison comparison = null;
        int attempts = 0;
        for (int attempt = 0; attempt < 4 && (comparison == null || !comparison.agrees()); attempt++) {
            attempts++;
            if (attempt > 0) {
                ServerProcess.sleep(3_000);
            }
            comparison = new HttpAnswerComparison();
            for (String form : forms) {
                HttpResponse<String> expected = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                comparison.compare(form, expected, server.get(form, KEY), form.contains("topk"));
            }
        }
        System.out.println("remote-written scrapes compared with Prometheus, attempts: " + attempts);
        comparison.assertAgreement(forms.size(), 0);
    }

    private static String awaitNonEmpty(String query) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            assertThat(prometheus.isAlive()).as("prometheus exited:\n%s", log()).isTrue();
            HttpResponse<String> response = server.get("/api/v1/query?query=" + enc(query), KEY);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            body = response.body();
            if (!body.contains("\"result\":[]")) {
                return body;
            }
            ServerProcess.sleep(500);
        }
        throw new AssertionError("no " + query + " in Nightjar after 90 s: " + body + "\nprometheus log:\n" + log());
    }

    private static String log() {
        try {
            return Files.readString(prometheusLog);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
