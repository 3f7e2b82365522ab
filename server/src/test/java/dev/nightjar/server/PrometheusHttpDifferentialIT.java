package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.storage.testkit.metrics.prometheus.DifferentialData;
import dev.nightjar.storage.testkit.metrics.prometheus.DifferentialQueries;
import dev.nightjar.storage.testkit.metrics.prometheus.PrometheusServer;
import dev.nightjar.storage.testkit.metrics.prometheus.RemoteWriteEncoder;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API compared live with a real Prometheus 2.42 over HTTP, as a user (or Grafana) sees both: the
 * same remote_write bodies go to the packaged server and to Prometheus, then every query of the shared
 * differential table runs against both as GET and form-POST instant and range queries, and the answers must
 * match: HTTP status, error type, result type, labels, timestamps as written and values as written (floats
 * within 1e-9 relative, for sums taken in a different order). The engine-level differential test covers more
 * instants; this one covers what lies between: remote_write decoding, parameter parsing and the JSON.
 */
class PrometheusHttpDifferentialIT {
    private static final String KEY = "nj_http_differential_key_0123456789";
    private static final long T0 = DifferentialData.T0;

    @TempDir
    static Path dir;

    private static ServerProcess server;
    private static PrometheusServer prometheus;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() throws Exception {
        ExternalPiece.require(
                PrometheusServer.available(), "Prometheus 2.x at /usr/bin/prometheus (Debian package prometheus)");
        // The data lies in 2023: metric retention must not drop the block cut from it.
        server = ServerProcess.start(
                dir.resolve("nightjar"),
                Map.of("NIGHTJAR_BOOTSTRAP_API_KEY", KEY, "NIGHTJAR_METRICS_RETENTION", "36500d"));
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), FreePorts.next());
        for (List<SeriesSamples> slice : PrometheusServer.timeSlices(DifferentialData.build(), 20 * 60_000)) {
            for (int from = 0; from < slice.size(); from += 50) {
                byte[] body = RemoteWriteEncoder.encode(slice.subList(from, Math.min(slice.size(), from + 50)));
                HttpResponse<String> toNightjar = send(server.uri("/api/v1/write"), KEY, body);
                assertThat(toNightjar.statusCode()).as(toNightjar.body()).isEqualTo(204);
                HttpResponse<String> toPrometheus = send(prometheus.uri().resolve("/api/v1/write"), null, body);
                assertThat(toPrometheus.statusCode()).as(toPrometheus.body()).isEqualTo(204);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyDifferentialQueryAnswersLikePrometheusOverHttp() {
        HttpAnswerComparison comparison = new HttpAnswerComparison();
        long[] instants = {T0 + 65 * 60_000, T0 + 90 * 60_000 + 500};
        int i = 0;
        for (String query : DifferentialQueries.QUERIES) {
            boolean post = i++ % 2 == 0;
            String q = "query=" + enc(query);
            for (long at : instants) {
                compare(comparison, query, "/api/v1/query", q + "&time=" + seconds(at), post);
            }
            // From before the first sample to past the last, on an unaligned grid.
            compare(
                    comparison,
                    query,
                    "/api/v1/query_range",
                    q + "&start=" + seconds(T0 - 10 * 60_000 + 13_500) + "&end="
                            + seconds(T0 + 3 * 3_600_000 + 1_200_000) + "&step=433",
                    !post);
        }
        for (String query : DifferentialQueries.INSTANT_ONLY) {
            compare(comparison, query, "/api/v1/query", "query=" + enc(query) + "&time=" + seconds(instants[0]), false);
        }
        comparison.assertAgreement(DifferentialQueries.QUERIES.size() * 3, 5);
    }

    @Test
    void parametersAndErrorsAnswerLikePrometheus() {
        HttpAnswerComparison comparison = new HttpAnswerComparison();
        String sum = "query=" + enc("sum by (code) (rate(http_requests_total[5m]))");
        String at = rfc3339(T0 + 65 * 60_000);
        List<String[]> cases = List.of(
                new String[] {"/api/v1/query", sum + "&time=" + at},
                new String[] {"/api/v1/query", sum + "&time=" + enc(at.replace("Z", ".250Z"))},
                new String[] {"/api/v1/query", sum + "&time=" + enc("2023-11-15T01:05:00+01:00")},
                new String[] {"/api/v1/query", sum + "&time=" + seconds(T0 + 65 * 60_000) + ".123456"},
                new String[] {"/api/v1/query", sum + "&time=" + (T0 / 1000 + 3900) + "e0"},
                new String[] {"/api/v1/query", sum + "&time=yesterday"},
                new String[] {"/api/v1/query", "time=" + seconds(T0)},
                new String[] {"/api/v1/query", "query=&time=" + seconds(T0)},
                new String[] {"/api/v1/query", "query=" + enc("sum(") + "&time=" + seconds(T0)},
                new String[] {"/api/v1/query", "query=" + enc("http_requests_total[5m]") + "&time=" + at},
                new String[] {"/api/v1/query", "query=" + enc("\"a string\"") + "&time=" + at},
                new String[] {"/api/v1/query", "query=" + enc("time()") + "&time=" + seconds(T0) + ".5"},
                new String[] {"/api/v1/query", "query=" + enc("1e-7 * 3") + "&time=" + seconds(T0)},
                new String[] {"/api/v1/query", "query=" + enc("2^70") + "&time=" + seconds(T0)},
                new String[] {"/api/v1/query", "query=" + enc("-0 * 1") + "&time=" + seconds(T0)},
                new String[] {"/api/v1/query", "query=" + enc("vector(1/3)") + "&time=" + seconds(T0)},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "1m")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "90")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "37.5")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "1h")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "0")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "-15")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "fast")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "0.1")},
                new String[] {"/api/v1/query_range", sum + range(T0 + 3_600_000, T0, "60")},
                new String[] {"/api/v1/query_range", sum + "&start=" + seconds(T0) + "&step=60"},
                new String[] {"/api/v1/query_range", sum + "&start=" + enc(rfc3339(T0)) + "&end=" + enc(at) + "&step=5m"
                },
                new String[] {
                    "/api/v1/query_range", "query=" + enc("temperature @ end()") + range(T0, T0 + 600_000, "60")
                },
                new String[] {
                    "/api/v1/query_range",
                    "query=" + enc("rate(http_requests_total[5m] @ start())")
                            + range(T0 + 600_000, T0 + 1_200_000, "60")
                },
                new String[] {"/api/v1/query_range", "query=" + enc("time()") + range(T0, T0 + 600_000, "150")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "1m30s")},
                new String[] {"/api/v1/query_range", sum + range(T0, T0 + 3_600_000, "2.5e2")},
                new String[] {
                    "/api/v1/query_range",
                    sum + "&start=" + enc("2023-11-14T22:00:00.123456789Z") + "&end=" + enc(at) + "&step=300"
                },
                new String[] {"/api/v1/query", sum + "&time=" + at + "&stats=all"},
                new String[] {"/api/v1/query", "query=" + enc("temperature") + "&time=" + at + "&lookback_delta=1m"},
                new String[] {"/api/v1/query", "query=" + enc("  sum(temperature)  ") + "&time=" + at},
                new String[] {"/api/v1/query", "query=" + enc("temperature") + "&time=-1"},
                new String[] {"/api/v1/query", "query=" + enc("temperature") + "&time=1.7000031e9"},
                new String[] {"/api/v1/query", "query=" + enc("sum(temperature)") + "&time=" + at + "&timeout=1m"},
                new String[] {"/api/v1/query", "query=" + enc("sum(temperature)") + "&time=" + at + "&timeout=soon"},
                new String[] {
                    "/api/v1/query_range", "query=" + enc("scalar(temperature)") + range(T0, T0 + 600_000, "60")
                });
        for (String[] c : cases) {
            compare(comparison, c[1], c[0], c[1], false);
            compare(comparison, c[1], c[0], c[1], true);
        }
        comparison.assertAgreement(cases.size() * 2, 6);
    }

    /**
     * Instants on the edges of the 5-minute lookback, where a sample is in or out by a millisecond: after a
     * series' last sample (vanishing, one_sample) and inside a stale gap (flappy's marker at 1 h).
     */
    @Test
    void lookbackEdgesAnswerLikePrometheus() {
        HttpAnswerComparison comparison = new HttpAnswerComparison();
        long vanishingLast = T0 + 2 * 3_600_000 - DifferentialData.STEP;
        long oneSample = T0 + 64 * 60_000 + 30_000;
        long flappyStale = T0 + 3_600_000;
        int cases = 0;
        for (long edge :
                new long[] {vanishingLast + 300_000, oneSample + 300_000, flappyStale, flappyStale + 300_000}) {
            for (long at : new long[] {edge - 1, edge, edge + 1}) {
                for (String query : List.of(
                        "vanishing",
                        "one_sample",
                        "flappy",
                        "count_over_time(vanishing[5m])",
                        "last_over_time(one_sample[5m])",
                        "timestamp(flappy)",
                        "absent(vanishing)",
                        "count(vanishing) or vector(0)",
                        "memory_bytes")) {
                    compare(
                            comparison,
                            query,
                            "/api/v1/query",
                            "query=" + enc(query) + "&time=" + seconds(at),
                            cases++ % 2 == 0);
                }
            }
        }
        comparison.assertAgreement(cases, 0);
    }

    @Test
    void seriesAndLabelEndpointsAnswerLikePrometheus() {
        HttpAnswerComparison comparison = new HttpAnswerComparison();
        String all = "&start=" + seconds(T0 - 3_600_000) + "&end=" + seconds(T0 + 4 * 3_600_000);
        List<String[]> cases = List.of(
                new String[] {"/api/v1/series", "match[]=" + enc("http_requests_total") + all},
                new String[] {
                    "/api/v1/series", "match[]=" + enc("{__name__=~\"temp.*|flappy\"}") + "&match[]=sparse" + all
                },
                new String[] {"/api/v1/series", "match[]=" + enc("{job=\"api\"}") + all},
                new String[] {"/api/v1/series", all.substring(1)},
                new String[] {"/api/v1/labels", all.substring(1)},
                new String[] {"/api/v1/labels", "match[]=" + enc("http_requests_total") + all},
                new String[] {"/api/v1/label/__name__/values", all.substring(1)},
                new String[] {"/api/v1/label/code/values", "match[]=" + enc("http_requests_total") + all},
                new String[] {"/api/v1/label/instance/values", all.substring(1)},
                new String[] {"/api/v1/series", "match[]=memory_bytes"},
                new String[] {"/api/v1/series", "match[]=memory_bytes&start=" + seconds(T0 + 3_600_000)},
                new String[] {"/api/v1/series", "match[]=" + enc("{}") + all},
                new String[] {"/api/v1/series", "match[]=" + enc("{job=~\".*\"}") + all},
                new String[] {"/api/v1/series", "match[]=" + enc("sum(up)") + all},
                // after vanishing's last sample: the series endpoint answers from samples in the range
                new String[] {
                    "/api/v1/series",
                    "match[]=" + enc("vanishing") + "&start=" + seconds(T0 + 150 * 60_000) + "&end="
                            + seconds(T0 + 170 * 60_000)
                },
                // end before start
                new String[] {
                    "/api/v1/series", "match[]=temperature&start=" + seconds(T0 + 3_600_000) + "&end=" + seconds(T0)
                },
                new String[] {
                    "/api/v1/labels", "start=" + seconds(T0 + 4 * 3_600_000) + "&end=" + seconds(T0 + 5 * 3_600_000)
                },
                new String[] {"/api/v1/labels", "match[]=" + enc("{instance=\"0\"}") + "&match[]=temperature" + all},
                new String[] {"/api/v1/label/nonexistent_label/values", all.substring(1)},
                new String[] {"/api/v1/label/__name__/values", "match[]=" + enc("{instance=\"0\"}") + all},
                new String[] {"/api/v1/label/bad-name/values", all.substring(1)},
                new String[] {"/api/v1/label/room/values", "start=yesterday"},
                new String[] {"/api/v1/label/unicode/values", all.substring(1)},
                new String[] {"/api/v1/label/path/values", all.substring(1)});
        for (String[] c : cases) {
            compare(comparison, c[1], c[0], c[1], false);
            compare(comparison, c[1], c[0], c[1], true);
        }
        comparison.assertAgreement(cases.size() * 2, 2);
    }

    private static void compare(HttpAnswerComparison comparison, String what, String path, String form, boolean post) {
        HttpResponse<String> expected = query(prometheus.uri().resolve(path), null, form, post);
        HttpResponse<String> actual = query(server.uri(path), KEY, form, post);
        comparison.compare((post ? "POST " : "GET ") + path + " " + what, expected, actual, ordered(what));
    }

    /**
     * Whether the answer's order is defined: sort() and sort_desc() order by value; topk() and bottomk()
     * return each group's samples strongest first. Prometheus orders nothing else in an instant answer, and a
     * matrix by labels, which the comparison checks as a set.
     */
    private static boolean ordered(String query) {
        return query.startsWith("sort") || query.startsWith("topk") || query.startsWith("bottomk");
    }

    private static HttpResponse<String> query(URI uri, String key, String form, boolean post) {
        HttpRequest.Builder request = post
                ? HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                : HttpRequest.newBuilder(URI.create(uri + "?" + form)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return exchange(request);
    }

    private static HttpResponse<String> send(URI uri, String key, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return exchange(request);
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String range(long start, long end, String step) {
        return "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + step;
    }

    private static String seconds(long ms) {
        long fraction = Math.floorMod(ms, 1000);
        return Math.floorDiv(ms, 1000) + (fraction == 0 ? "" : "." + String.format("%03d", fraction));
    }

    private static String rfc3339(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
