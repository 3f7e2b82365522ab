package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.StaleMarker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs test scripts in the style of Prometheus' promqltest files: {@code load <interval>} blocks of
 * series written as {@code name{labels} 0+10x5 _ stale 3}, then {@code eval instant at <time> <query>}
 * with the expected samples (or a bare number for a scalar), {@code eval_fail} and
 * {@code eval_ordered}. Values compare with a relative tolerance of 1e-6, as promqltest does.
 */
final class ScriptRunner {

    private final PromqlEngine engine = new PromqlEngine();
    private InMemoryMetricsStore store;
    private TenantId tenant;
    private int evaluations;

    int run(String resource) throws IOException {
        String text;
        try (InputStream in = ScriptRunner.class.getResourceAsStream("/promql/" + resource)) {
            if (in == null) {
                throw new IOException("missing test script " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        clear();
        List<String> lines = text.lines().toList();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i).strip();
            int lineNumber = i + 1;
            i++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("clear")) {
                clear();
            } else if (line.startsWith("load ")) {
                long interval = parseTime(line.substring(5).strip());
                List<SeriesSamples> batch = new ArrayList<>();
                while (i < lines.size() && isIndented(lines.get(i))) {
                    batch.add(parseSeries(lines.get(i).strip(), interval));
                    i++;
                }
                store.append(tenant, MetricsBatch.of(batch));
            } else if (line.startsWith("eval")) {
                List<String> expected = new ArrayList<>();
                while (i < lines.size() && isIndented(lines.get(i))) {
                    expected.add(lines.get(i).strip());
                    i++;
                }
                evaluate(resource + ":" + lineNumber, line, expected);
                evaluations++;
            } else {
                throw new IllegalArgumentException(resource + ":" + lineNumber + ": cannot read \"" + line + "\"");
            }
        }
        return evaluations;
    }

    private static boolean isIndented(String line) {
        return !line.isBlank() && Character.isWhitespace(line.charAt(0));
    }

    private void clear() {
        store = new InMemoryMetricsStore(new MetricsLimits(1_000_000, Duration.ofDays(3650)));
        tenant = TenantId.of(UUID.randomUUID());
    }

    static long parseTime(String text) {
        if (text.matches("-?\\d+")) {
            return Long.parseLong(text) * 1000;
        }
        return Durations.parseMillis(text);
    }

    private SeriesSamples parseSeries(String line, long interval) {
        int split = line.lastIndexOf('}');
        String selector;
        String values;
        if (split >= 0) {
            selector = line.substring(0, split + 1);
            values = line.substring(split + 1).strip();
        } else {
            int space = line.indexOf(' ');
            int tab = line.indexOf('\t');
            int at = space < 0 ? tab : tab < 0 ? space : Math.min(space, tab);
            selector = line.substring(0, at);
            values = line.substring(at).strip();
        }
        Labels labels = parseLabels(selector);
        List<Sample> samples = new ArrayList<>();
        long index = 0;
        for (String token : values.split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher expand = java.util.regex.Pattern.compile("([^+x]+?)([+-])([^x]+)x(\\d+)")
                    .matcher(token);
            java.util.regex.Matcher gaps =
                    java.util.regex.Pattern.compile("_x(\\d+)").matcher(token);
            if (token.equals("_")) {
                index++;
            } else if (gaps.matches()) {
                index += Long.parseLong(gaps.group(1));
            } else if (token.equals("stale")) {
                samples.add(new Sample(index++ * interval, StaleMarker.VALUE));
            } else if (expand.matches()) {
                double start = number(expand.group(1));
                double step = number(expand.group(3)) * (expand.group(2).equals("-") ? -1 : 1);
                long count = Long.parseLong(expand.group(4));
                for (long k = 0; k <= count; k++) {
                    samples.add(new Sample(index++ * interval, start + k * step));
                }
            } else {
                samples.add(new Sample(index++ * interval, number(token)));
            }
        }
        return new SeriesSamples(labels, samples);
    }

    private static double number(String text) {
        return Literals.parseNumber(text);
    }

    static Labels parseLabels(String selector) {
        Expr e = Parser.parse(selector.startsWith("{") && selector.equals("{}") ? "{__name__=~\".+\"}" : selector);
        Map<String, String> labels = new TreeMap<>();
        if (!selector.equals("{}")) {
            Expr.VectorSelector v = (Expr.VectorSelector) e;
            for (var m : v.matchers()) {
                labels.put(m.name(), m.value());
            }
        }
        return Labels.from(labels);
    }

    private void evaluate(String where, String line, List<String> expected) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(eval|eval_fail|eval_ordered) instant at (\\S+) (.+)")
                .matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": cannot read eval line");
        }
        long time = parseTime(m.group(2));
        String query = m.group(3);
        if (m.group(1).equals("eval_fail")) {
            assertThatThrownBy(() -> engine.instantQuery(store, tenant, query, time))
                    .as(where + " " + query)
                    .isInstanceOf(PromqlException.class);
            return;
        }
        QueryResult result = engine.instantQuery(store, tenant, query, time);
        if (result instanceof QueryResult.ScalarResult s) {
            assertThat(expected).as(where + ": scalar result of " + query).hasSize(1);
            assertClose(where + " " + query, number(expected.getFirst()), s.value());
            return;
        }
        List<QueryResult.VectorSample> actual = new ArrayList<>(((QueryResult.VectorResult) result).samples());
        List<Labels> expectedLabels = new ArrayList<>();
        List<Double> expectedValues = new ArrayList<>();
        for (String e : expected) {
            int split = e.lastIndexOf('}');
            if (split < 0) {
                split = e.indexOf(' ') - 1;
            }
            expectedLabels.add(parseLabels(e.substring(0, split + 1)));
            expectedValues.add(number(e.substring(split + 1).strip()));
        }
        assertThat(actual.stream().map(QueryResult.VectorSample::labels).toList())
                .as(where + ": series of " + query)
                .containsExactlyInAnyOrderElementsOf(expectedLabels);
        if (!m.group(1).equals("eval_ordered")) {
            actual.sort(Comparator.comparing(QueryResult.VectorSample::labels));
        }
        for (int k = 0; k < actual.size(); k++) {
            int index = m.group(1).equals("eval_ordered")
                    ? k
                    : expectedLabels.indexOf(actual.get(k).labels());
            if (m.group(1).equals("eval_ordered")) {
                assertThat(actual.get(k).labels())
                        .as(where + ": order of " + query)
                        .isEqualTo(expectedLabels.get(k));
            }
            assertClose(
                    where + " " + query + " " + actual.get(k).labels(),
                    expectedValues.get(index),
                    actual.get(k).value());
        }
    }

    static void assertClose(String what, double expected, double actual) {
        if (Double.isNaN(expected)) {
            assertThat(actual).as(what).isNaN();
            return;
        }
        if (expected == actual) {
            return;
        }
        double tolerance = Math.abs(expected) * 1e-6;
        assertThat(Math.abs(expected - actual))
                .as(what + " expected " + expected + " got " + actual)
                .isLessThanOrEqualTo(tolerance);
    }
}
