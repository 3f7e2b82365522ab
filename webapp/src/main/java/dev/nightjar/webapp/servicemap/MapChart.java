package dev.nightjar.webapp.servicemap;

import dev.nightjar.api.servicemap.ServiceMap;
import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ECharts option for a service map: a graph series with fixed positions from the server (layout
 * "none": no force simulation in the browser), pan and zoom, arrows, edge colour by dependency health.
 * Node names are telemetry: they go into canvas labels only, with ECharts' template braces neutralised
 * so a name like "{a}" prints as itself.
 */
final class MapChart {
    /** Above this many nodes, animation and hover emphasis of neighbours cost more than they help. */
    static final int LARGE = 150;

    private MapChart() {}

    /** Which nodes to show: those matching the filter plus their direct neighbours, so context stays. */
    static ServiceMap filter(ServiceMap map, String text, String namespace) {
        String needle = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        boolean allNamespaces = namespace == null || namespace.isEmpty();
        if (needle.isEmpty() && allNamespaces) {
            return map;
        }
        Set<String> matched = new HashSet<>();
        for (Node n : map.nodes()) {
            boolean nameOk =
                    needle.isEmpty() || n.name().toLowerCase(Locale.ROOT).contains(needle);
            boolean nsOk = allNamespaces || namespace.equals(n.namespace());
            if (nameOk && nsOk) {
                matched.add(n.id());
            }
        }
        Set<String> shown = new HashSet<>(matched);
        List<Edge> edges = new ArrayList<>();
        for (Edge e : map.edges()) {
            if (matched.contains(e.source()) || matched.contains(e.target())) {
                shown.add(e.source());
                shown.add(e.target());
                edges.add(e);
            }
        }
        List<Node> nodes =
                map.nodes().stream().filter(n -> shown.contains(n.id())).toList();
        return new ServiceMap(map.fromMs(), map.toMs(), nodes, edges, map.truncated());
    }

    static Map<String, Object> option(ServiceMap map) {
        boolean large = map.nodes().size() > LARGE;
        List<Map<String, Object>> data = new ArrayList<>();
        for (Node n : map.nodes()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", n.id());
            d.put("x", n.x());
            d.put("y", n.y());
            d.put("symbolSize", n.kind() == ServiceMap.Kind.EXTERNAL ? 14 : 20);
            d.put("symbol", n.kind() == ServiceMap.Kind.EXTERNAL ? "diamond" : "circle");
            d.put("itemStyle", Map.of("color", nodeColor(n)));
            d.put("label", Map.of("formatter", inert(n.name())));
            d.put(
                    "tooltip",
                    Map.of(
                            "formatter",
                            inert(n.name()) + "\n" + n.kind().name().toLowerCase(Locale.ROOT) + " · "
                                    + n.placement().name().toLowerCase(Locale.ROOT)));
            data.add(d);
        }
        List<Map<String, Object>> links = new ArrayList<>();
        for (Edge e : map.edges()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("source", e.source());
            l.put("target", e.target());
            double volume = e.traffic().connects() + e.red().requests();
            l.put(
                    "lineStyle",
                    Map.of(
                            "color",
                            healthColor(e.health().composite()),
                            "width",
                            1 + Math.min(5, Math.log10(1 + volume))));
            l.put("tooltip", Map.of("formatter", edgeTooltip(e)));
            links.add(l);
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("type", "graph");
        series.put("layout", "none");
        series.put("roam", true);
        series.put("draggable", false);
        series.put("edgeSymbol", List.of("none", "arrow"));
        series.put("edgeSymbolSize", 8);
        series.put("label", Map.of("show", true, "position", "right", "fontSize", 11));
        series.put("labelLayout", Map.of("hideOverlap", true));
        series.put("emphasis", Map.of("focus", large ? "self" : "adjacency", "lineStyle", Map.of("width", 4)));
        series.put("lineStyle", Map.of("curveness", 0.1, "opacity", 0.8));
        series.put("data", data);
        series.put("links", links);
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("animation", !large);
        option.put("tooltip", Map.of("show", true));
        option.put("series", List.of(series));
        return option;
    }

    private static String edgeTooltip(Edge e) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%.0f connects", e.traffic().connects()));
        if (e.red().requests() > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    " · %.2f req/s · %.1f%% errors",
                    e.red().requestRate(),
                    100 * e.red().errorRatio()));
        }
        if (e.health().composite() != null) {
            s.append(String.format(Locale.ROOT, "\nhealth %.2f", e.health().composite()));
        }
        return s.toString();
    }

    /**
     * ECharts treats {@code {…}} in a formatter as a template or rich-text style; replace the braces so
     * untrusted names always print literally (canvas text, never HTML).
     */
    static String inert(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 120));
        int count = 0;
        for (int i = 0; i < text.length() && count < 120; i++, count++) {
            char c = text.charAt(i);
            out.append(
                    switch (c) {
                        case '{' -> '(';
                        case '}' -> ')';
                        default -> Character.isISOControl(c) ? ' ' : c;
                    });
        }
        return out.toString();
    }

    static String nodeColor(Node n) {
        return switch (n.placement()) {
            case EXTERNAL -> "#8e7cc3";
            case LOCALHOST -> "#999999";
            case INTERNAL -> n.kind() == ServiceMap.Kind.EXTERNAL ? "#6fa8dc" : "#3d85c6";
        };
    }

    static String healthColor(Double score) {
        if (score == null) {
            return "#9e9e9e";
        }
        if (score >= 0.9) {
            return "#43a047";
        }
        return score >= 0.6 ? "#fb8c00" : "#e53935";
    }
}
