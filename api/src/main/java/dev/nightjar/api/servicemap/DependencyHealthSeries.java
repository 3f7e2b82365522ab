package dev.nightjar.api.servicemap;

import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.HealthScores;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A service map's dependency health scores as gauge series, so they can be queried with PromQL and alerted
 * on like any other metric: one series per (source, destination, score) with the score in [0, 1].
 */
public final class DependencyHealthSeries {
    public static final String METRIC = "nightjar_dependency_health_score";
    /** Bounds the series one evaluation can add to a tenant (six scores per edge). */
    static final int MAX_EDGES = 5_000;
    /** Node names come from telemetry (host names, executables): long ones are cut, not rejected. */
    static final int MAX_VALUE_LENGTH = 200;

    private static final MetricMetadata METADATA = new MetricMetadata(
            METRIC,
            MetricType.GAUGE,
            "Health of a dependency (source -> destination) in [0, 1], 1 healthy; score = reliability, latency,"
                    + " stability, packet_health, responsiveness or composite",
            "");

    private DependencyHealthSeries() {}

    /** The scores of every edge that has any, sampled at {@code timeMs}; empty when there is nothing to score. */
    public static MetricsBatch of(ServiceMap map, long timeMs) {
        Map<String, Node> nodes = new HashMap<>();
        map.nodes().forEach(n -> nodes.put(n.id(), n));
        List<SeriesSamples> series = new ArrayList<>();
        Set<Labels> seen = new HashSet<>();
        int edges = 0;
        for (Edge edge : map.edges()) {
            Node from = nodes.get(edge.source());
            Node to = nodes.get(edge.target());
            if (from == null || to == null || edges >= MAX_EDGES) {
                continue;
            }
            edges++;
            Map<String, String> base = new LinkedHashMap<>();
            base.put(Labels.METRIC_NAME, METRIC);
            base.put("source", cut(from.name()));
            if (!from.instance().isEmpty()) {
                base.put("source_instance", cut(from.instance()));
            }
            base.put("destination", cut(to.name()));
            base.put("destination_placement", to.placement().name().toLowerCase(Locale.ROOT));
            scores(edge.health()).forEach((score, value) -> {
                Map<String, String> labels = new LinkedHashMap<>(base);
                labels.put("score", score);
                Labels l = Labels.from(labels);
                // Two nodes can share a display name (same executable and ports): the first edge wins.
                if (seen.add(l)) {
                    series.add(new SeriesSamples(l, List.of(new Sample(timeMs, value))));
                }
            });
        }
        return series.isEmpty() ? MetricsBatch.of(List.of()) : new MetricsBatch(series, List.of(METADATA));
    }

    /** The known scores by their label value; a score with nothing to judge by is left out, not written as 0. */
    static Map<String, Double> scores(HealthScores h) {
        Map<String, Double> out = new LinkedHashMap<>();
        put(out, "reliability", h.reliability());
        put(out, "latency", h.latency());
        put(out, "stability", h.stability());
        put(out, "packet_health", h.packetHealth());
        put(out, "responsiveness", h.responsiveness());
        put(out, "composite", h.composite());
        return out;
    }

    private static void put(Map<String, Double> out, String name, Double value) {
        if (value != null && !value.isNaN()) {
            out.put(name, value);
        }
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH);
    }
}
