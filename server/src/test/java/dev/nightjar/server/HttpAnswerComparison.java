package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares a Prometheus API answer with Nightjar's as a client reads them: HTTP status, {@code status},
 * {@code errorType}, result type, labels, timestamps as written (so {@code 1700000000.250} and
 * {@code 1700000000.25} differ) and sample values as written, or within 1e-9 relative where a sum was taken
 * in another order. Series and label lists compare as Prometheus orders them; query results as sets unless
 * the query defines an order.
 */
final class HttpAnswerComparison {
    // Exact decimals: a timestamp's digits as written are part of the answer.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final List<String> mismatches = new ArrayList<>();
    private int compared;
    private int errors;
    private int nonEmpty;
    private int rounded;
    private final Map<String, Integer> roundedByQuery = new TreeMap<>();
    private final Map<String, String> roundedExample = new TreeMap<>();

    void compare(String where, HttpResponse<String> expected, HttpResponse<String> actual, boolean ordered) {
        compared++;
        if (expected.statusCode() != actual.statusCode()) {
            mismatches.add(where + ": HTTP " + actual.statusCode() + " instead of " + expected.statusCode()
                    + "\n  nightjar:   " + cut(actual.body()) + "\n  prometheus: " + cut(expected.body()));
            return;
        }
        JsonNode want = parse(expected.body());
        JsonNode got = parse(actual.body());
        if (want == null || got == null) {
            // Neither JSON (Prometheus' plain "Method Not Allowed"): the equal status is the answer.
            if (want != null || got != null) {
                mismatches.add(where + ": only one answer is JSON\n  nightjar:   " + cut(actual.body())
                        + "\n  prometheus: " + cut(expected.body()));
            }
            return;
        }
        if (!want.path("status").equals(got.path("status"))) {
            mismatches.add(where + ": status " + got.path("status") + " instead of " + want.path("status"));
            return;
        }
        if ("error".equals(want.path("status").asText())) {
            errors++;
            if (!want.path("errorType").equals(got.path("errorType"))) {
                mismatches.add(where + ": errorType " + got.path("errorType") + " ("
                        + got.path("error").asText() + ") instead of " + want.path("errorType") + " ("
                        + want.path("error").asText() + ")");
            }
            return;
        }
        if (want.has("warnings") != got.has("warnings")) {
            mismatches.add(where + ": warnings " + got.path("warnings") + " instead of " + want.path("warnings"));
        }
        JsonNode data = want.path("data");
        if (data.isArray()) {
            compareList(where, data, got.path("data"));
            return;
        }
        String type = data.path("resultType").asText();
        if (!type.equals(got.path("data").path("resultType").asText())) {
            mismatches.add(where + ": resultType " + got.path("data").path("resultType") + " instead of " + type);
            return;
        }
        JsonNode wantResult = data.path("result");
        JsonNode gotResult = got.path("data").path("result");
        if (type.equals("scalar") || type.equals("string")) {
            nonEmpty++;
            comparePoint(where, wantResult, gotResult, type.equals("scalar"));
            return;
        }
        if (wantResult.size() != gotResult.size()) {
            mismatches.add(where + ": " + gotResult.size() + " series instead of " + wantResult.size()
                    + "\n  nightjar:   " + cut(actual.body()) + "\n  prometheus: " + cut(expected.body()));
            return;
        }
        if (!wantResult.isEmpty()) {
            nonEmpty++;
        }
        List<JsonNode> w = elements(wantResult, ordered);
        List<JsonNode> g = elements(gotResult, ordered);
        for (int i = 0; i < w.size(); i++) {
            Map<String, String> wantMetric = metric(w.get(i));
            Map<String, String> gotMetric = metric(g.get(i));
            if (!wantMetric.equals(gotMetric)) {
                mismatches.add(where + ": series " + i + " is " + gotMetric + " instead of " + wantMetric);
                return;
            }
            String at = where + " " + wantMetric;
            if (w.get(i).has("value")) {
                comparePoint(at, w.get(i).path("value"), g.get(i).path("value"), true);
                continue;
            }
            JsonNode wantPoints = w.get(i).path("values");
            JsonNode gotPoints = g.get(i).path("values");
            if (wantPoints.size() != gotPoints.size()) {
                mismatches.add(at + ": " + gotPoints.size() + " points instead of " + wantPoints.size());
                return;
            }
            for (int p = 0; p < wantPoints.size(); p++) {
                if (!comparePoint(at, wantPoints.get(p), gotPoints.get(p), true)) {
                    return;
                }
            }
        }
    }

    private void compareList(String where, JsonNode want, JsonNode got) {
        if (!want.isEmpty()) {
            nonEmpty++;
        }
        List<String> w = new ArrayList<>();
        List<String> g = new ArrayList<>();
        boolean objects = want.size() > 0 && want.get(0).isObject();
        want.forEach(n -> w.add(n.isObject() ? metric(n).toString() : n.asText()));
        got.forEach(n -> g.add(n.isObject() ? metric(n).toString() : n.asText()));
        if (objects) {
            // /api/v1/series: Prometheus answers in its index order, a client reads a set.
            w.sort(Comparator.naturalOrder());
            g.sort(Comparator.naturalOrder());
        }
        if (!w.equals(g)) {
            mismatches.add(where + ": " + g + " instead of " + w);
        }
    }

    private boolean comparePoint(String where, JsonNode want, JsonNode got, boolean numeric) {
        String wantTime = want.path(0).asText();
        String gotTime = got.path(0).asText();
        if (!wantTime.equals(gotTime) || !got.path(0).isNumber()) {
            mismatches.add(where + ": timestamp " + got.path(0) + " instead of " + want.path(0));
            return false;
        }
        String wantValue = want.path(1).asText();
        String gotValue = got.path(1).asText();
        if (wantValue.equals(gotValue) && got.path(1).isTextual()) {
            return true;
        }
        if (numeric && close(wantValue, gotValue)) {
            String query = where.contains(" {") ? where.substring(0, where.indexOf(" {")) : where;
            roundedByQuery.merge(query, 1, Integer::sum);
            roundedExample.putIfAbsent(
                    query, where.substring(query.length()) + " @" + wantTime + ": " + gotValue + " for " + wantValue);
            rounded++;
            return true;
        }
        mismatches.add(where + " @" + wantTime + ": value " + got.path(1) + " instead of " + want.path(1));
        return false;
    }

    private static boolean close(String want, String got) {
        try {
            double a = Double.parseDouble(want);
            double b = Double.parseDouble(got);
            return Double.isFinite(a)
                    && Double.isFinite(b)
                    && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<JsonNode> elements(JsonNode array, boolean ordered) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        if (!ordered) {
            out.sort(Comparator.comparing(n -> metric(n).toString()));
        }
        return out;
    }

    private static Map<String, String> metric(JsonNode item) {
        Map<String, String> labels = new TreeMap<>();
        JsonNode metric = item.has("metric") ? item.path("metric") : item;
        metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    private static String cut(String body) {
        return body.length() <= 400 ? body : body.substring(0, 400) + "…";
    }

    boolean agrees() {
        return mismatches.isEmpty();
    }

    /**
     * Fails with every mismatch found; guards against a vacuous pass: enough answers compared, most of them
     * carrying data, and the error cases reached.
     */
    void assertAgreement(int minCompared, int minErrors) {
        System.out.printf(
                "compared %d answers over HTTP: %d with data, %d errors, %d values within 1e-9 but not equal%n",
                compared, nonEmpty, errors, rounded);
        roundedByQuery.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(Integer.getInteger("nightjar.differential.rounded-queries", 10))
                .forEach(e -> System.out.println(
                        "  " + e.getValue() + " in " + e.getKey() + ", e.g." + roundedExample.get(e.getKey())));
        assertThat(mismatches)
                .as("answers that differ from Prometheus' over HTTP")
                .isEmpty();
        assertThat(compared).isGreaterThanOrEqualTo(minCompared);
        assertThat(nonEmpty).isGreaterThan((compared - errors) / 2);
        assertThat(errors).isGreaterThanOrEqualTo(minErrors);
    }
}
