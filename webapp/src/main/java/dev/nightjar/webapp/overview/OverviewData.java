package dev.nightjar.webapp.overview;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.QueryResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers what the overview shows, for one tenant and range: service RED from spans (whole range plus
 * {@value #BUCKETS} buckets for sparklines) and problems from spans and the node sensor's metrics.
 * Either source may be absent on an instance; the other still answers.
 */
final class OverviewData {
    static final int BUCKETS = 12;
    static final int MAX_SERVICES = 200;
    static final int MAX_PROBLEMS = 50;

    record Snapshot(List<ServiceHealth> services, List<Problem> problems) {
        boolean empty() {
            return services.isEmpty() && problems.isEmpty();
        }
    }

    private OverviewData() {}

    static Snapshot load(
            TenantId tenant, TimeRange range, SpanReader spans, PromqlEngine engine, MetricsReader metrics) {
        List<ServiceHealth> services = spans == null ? List.of() : services(tenant, range, spans);
        List<Problem> problems = new ArrayList<>();
        services.stream()
                .filter(ServiceHealth::errorSpike)
                .forEach(s -> problems.add(new Problem(
                        Problem.Kind.ERROR_SPIKE,
                        s.red().service(),
                        String.format(
                                java.util.Locale.ROOT,
                                "%.1f%% errors in the last %d minutes",
                                100 * s.errorRatioPerBucket().getLast(),
                                Math.max(1, range.duration().toMinutes() / BUCKETS)))));
        if (engine != null && metrics != null) {
            problems.addAll(sensorProblems(tenant, range, engine, metrics));
        }
        return new Snapshot(services, problems.stream().limit(MAX_PROBLEMS).toList());
    }

    private static List<ServiceHealth> services(TenantId tenant, TimeRange range, SpanReader spans) {
        List<RedStats> total = spans.serviceRed(tenant, range);
        Duration width = range.duration().dividedBy(BUCKETS);
        Map<String, double[]> rates = new HashMap<>();
        Map<String, double[]> errors = new HashMap<>();
        if (!width.isZero()) {
            for (int b = 0; b < BUCKETS; b++) {
                Instant start = range.start().plus(width.multipliedBy(b));
                TimeRange bucket = new TimeRange(start, b == BUCKETS - 1 ? range.end() : start.plus(width));
                for (RedStats red : spans.serviceRed(tenant, bucket)) {
                    rates.computeIfAbsent(red.service(), k -> new double[BUCKETS])[b] = red.ratePerSecond();
                    errors.computeIfAbsent(red.service(), k -> new double[BUCKETS])[b] = red.errorRatio();
                }
            }
        }
        return total.stream()
                .limit(MAX_SERVICES)
                .map(red -> new ServiceHealth(
                        red,
                        boxed(rates.getOrDefault(red.service(), new double[BUCKETS])),
                        boxed(errors.getOrDefault(red.service(), new double[BUCKETS])),
                        ServiceHealth.levelOf(red.errorRatio())))
                .toList();
    }

    /** Failing outbound connections and crash-looping executables, from the node sensor's series. */
    private static List<Problem> sensorProblems(
            TenantId tenant, TimeRange range, PromqlEngine engine, MetricsReader metrics) {
        String window = Math.max(60, range.duration().toSeconds()) + "s";
        long at = range.end().toEpochMilli();
        List<Problem> problems = new ArrayList<>();
        for (var sample : vector(
                engine,
                metrics,
                tenant,
                "sum by (process_executable_name, network_peer_name, network_peer_address, outcome)"
                        + " (increase(nightjar_tcp_connects_total{outcome!=\"established\"}[" + window + "])) > 0",
                at)) {
            var labels = sample.labels();
            String peer = labels.get("network_peer_name");
            if (peer == null || peer.isEmpty()) {
                peer = String.valueOf(labels.get("network_peer_address"));
            }
            problems.add(new Problem(
                    Problem.Kind.FAILING_CONNECTIONS,
                    labels.get("process_executable_name") + " → " + peer,
                    Math.round(sample.value()) + " " + labels.get("outcome") + " connects"));
        }
        for (var sample : vector(
                engine,
                metrics,
                tenant,
                "sum by (process_executable_path, container_id) (increase(nightjar_process_restarts_total[" + window
                        + "])) >= 3",
                at)) {
            var labels = sample.labels();
            String container = labels.get("container_id");
            problems.add(new Problem(
                    Problem.Kind.CRASH_LOOP,
                    labels.get("process_executable_path")
                            + (container == null || container.isEmpty() ? "" : " (" + container + ")"),
                    Math.round(sample.value()) + " restarts"));
        }
        return problems;
    }

    private static List<QueryResult.VectorSample> vector(
            PromqlEngine engine, MetricsReader metrics, TenantId tenant, String query, long at) {
        try {
            return engine.instantQuery(metrics, tenant, query, at) instanceof QueryResult.VectorResult v
                    ? v.samples()
                    : List.of();
        } catch (RuntimeException noSuchData) {
            // Without sensor metrics (or with an engine limit hit) the overview simply shows no such problems.
            return List.of();
        }
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
