package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus query API end to end on the packaged server, over series written by remote_write with real
 * snappy + protobuf bodies: instant, range, series, labels and metadata answers in Prometheus' exact JSON,
 * query budgets, and bad queries in Prometheus' error shapes. Hostile writes, tenant isolation and key
 * scopes are in {@link PrometheusApiAccessIT}.
 */
class PrometheusApiIT extends PrometheusApiFixture {
    @Test
    void instantQueryAnswersInPrometheusExactJson() {
        HttpResponse<String> response =
                get("/api/v1/query?query=" + enc("it_temperature") + "&time=" + seconds(T0 + 30_000), readKey);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        String t = seconds(T0 + 30_000);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_temperature\",\"room\":\"cellar\"},\"value\":[" + t
                        + ",\"0.1\"]},"
                        + "{\"metric\":{\"__name__\":\"it_temperature\",\"room\":\"kitchen\"},\"value\":[" + t
                        + ",\"22.25\"]}]}}");
    }

    @Test
    void instantQueryOverFormPostWithFractionalTimeAndScalarResult() {
        String t = seconds(T0 + 15_000) + ".5";
        HttpResponse<String> response =
                postForm("/api/v1/query", readKey, "query=" + enc("sum(it_temperature) * 2") + "&time=" + t);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{},\"value\":[" + seconds(T0 + 15_000) + ".500,\"+Inf\"]}]}}");

        HttpResponse<String> scalar = postForm("/api/v1/query", readKey, "query=1%2B1&time=1700000000.25");
        assertThat(scalar.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                        + "[1700000000.25,\"2\"]}}");
    }

    @Test
    void rangeQueryOverPostReturnsAMatrix() {
        HttpResponse<String> response = postForm(
                "/api/v1/query_range",
                readKey,
                "query=" + enc("it_temperature{room=\"kitchen\"}") + "&start=" + seconds(T0) + "&end="
                        + rfc3339(T0 + 30_000) + "&step=15s");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_temperature\",\"room\":\"kitchen\"},\"values\":["
                        + "[" + seconds(T0) + ",\"21\"],[" + seconds(T0 + 15_000) + ",\"21.5\"],["
                        + seconds(T0 + 30_000) + ",\"22.25\"]]}]}}");

        HttpResponse<String> floatStep = get(
                "/api/v1/query_range?query=it_up&start=" + seconds(T0 + 30_000) + "&end=" + seconds(T0 + 30_000)
                        + "&step=0.5",
                readKey);
        assertThat(floatStep.body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"it_up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
                        + "\"values\":[[" + seconds(T0 + 30_000) + ",\"1\"]]}]}}");
    }

    @Test
    void timeoutParameterCanOnlyShortenTheQueryBudget() {
        String range = "&start=" + seconds(T0) + "&end=" + seconds(T0 + 30_000) + "&step=15s";
        HttpResponse<String> roomy = get(
                "/api/v1/query_range?query=" + enc("sum(rate(it_temperature[1m]))") + range + "&timeout=30s", readKey);
        assertThat(roomy.statusCode()).as(roomy.body()).isEqualTo(200);
        assertThat(roomy.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"");
        assertThat(roomy.body()).doesNotContain("\"stats\"");

        // stats (any value, as in Prometheus) adds the cost figures; 3 samples of two series were read.
        HttpResponse<String> counted = get(
                "/api/v1/query_range?query=" + enc("sum(rate(it_temperature[1m]))") + range + "&stats=all", readKey);
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        assertThat(counted.body())
                .contains("\"stats\":{\"timings\":{\"evalTotalTime\":")
                .contains("\"samples\":{\"totalQueryableSamples\":6,\"peakSamples\":");

        // A budget already spent (zero or negative, as Prometheus reads it) answers as a timed-out query.
        assertError(
                get(
                        "/api/v1/query_range?query=" + enc("sum(rate(it_temperature[1m]))") + range + "&timeout=-1",
                        readKey),
                503,
                "timeout",
                "query timed out");
        assertError(postForm("/api/v1/query", readKey, "query=it_up&timeout=-0.5"), 503, "timeout", "query timed out");
        assertError(
                get("/api/v1/query?query=it_up&timeout=soon", readKey),
                400,
                "bad_data",
                "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration");
        assertError(
                get("/api/v1/query?query=it_up&timeout=" + "9".repeat(40), readKey),
                400,
                "bad_data",
                "invalid parameter \"timeout\"");
    }

    @Test
    void seriesLabelsValuesMetadataAndBuildInfo() {
        assertThat(get("/api/v1/series?match[]=" + enc("it_up"), readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"it_up\",\"instance\":\"a:9100\","
                        + "\"job\":\"node\"}]}");
        assertThat(postForm(
                                "/api/v1/series",
                                readKey,
                                "match[]=" + enc("{room=\"cellar\"}") + "&start=" + seconds(T0 - 3_600_000) + "&end="
                                        + seconds(T0 + 60_000))
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"it_temperature\",\"room\":\"cellar\"}]}");
        assertThat(get("/api/v1/labels", readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\",\"room\"]}");
        assertThat(postForm("/api/v1/labels", readKey, "match[]=it_up").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
        assertThat(get("/api/v1/label/__name__/values", readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"it_temperature\",\"it_up\"]}");
        assertThat(get("/api/v1/label/room/values?match[]=" + enc("it_temperature"), readKey)
                        .body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"cellar\",\"kitchen\"]}");
        assertThat(get("/api/v1/metadata", readKey).body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        assertThat(get("/api/v1/status/buildinfo", readKey).body()).contains("\"version\":\"2.42.0\"");
        // Grafana's alert list asks every Prometheus data source for these; Nightjar evaluates no rules.
        assertThat(get("/api/v1/rules", readKey).body()).isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
        assertThat(get("/api/v1/rules?type=alert", readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
        assertThat(get("/api/v1/alerts", readKey).body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
    }

    @Test
    void badQueriesAnswerWithPrometheusErrorShapes() {
        assertError(get("/api/v1/query?query=" + enc("sum("), readKey), 400, "bad_data", "");
        assertError(
                get("/api/v1/query?query=up&time=yesterday", readKey),
                400,
                "bad_data",
                "invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp");
        assertError(
                get("/api/v1/query_range?query=up&start=10&end=5&step=1", readKey),
                400,
                "bad_data",
                "end timestamp must not be before start time");
        assertError(
                get("/api/v1/query_range?query=up&start=1&end=5&step=0", readKey),
                400,
                "bad_data",
                "zero or negative query resolution step widths are not accepted");
        assertError(
                get("/api/v1/query_range?query=up&start=1&end=5&step=fast", readKey),
                400,
                "bad_data",
                "invalid parameter \"step\": cannot parse \"fast\" to a valid duration");
        assertError(
                get("/api/v1/query_range?query=up&start=0&end=" + 30L * 86400 + "&step=3600", readKey),
                400,
                "bad_data",
                "exceeds the limit of 7d");
        assertError(get("/api/v1/series", readKey), 400, "bad_data", "no match[] parameter provided");
        assertError(
                get("/api/v1/series?match[]=" + enc("{job=~\".*\"}"), readKey),
                400,
                "bad_data",
                "at least one non-empty matcher");
        assertError(get("/api/v1/label/not-a-label/values", readKey), 400, "bad_data", "invalid label name");
        assertError(
                postForm("/api/v1/query", readKey, "query=" + enc("(".repeat(20_000) + "1" + ")".repeat(20_000))),
                400,
                "bad_data",
                "");
        assertError(
                postForm("/api/v1/query", readKey, "query=" + enc("x".repeat(70_000))),
                400,
                "bad_data",
                "nightjar.prometheus.max-query-length");
    }
}
