package dev.nightjar.webapp.servicemap;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.nightjar.api.servicemap.ServiceMap;
import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.HealthScores;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Side panel for a clicked node or edge. Every value is set as text, so telemetry stays inert. */
final class DetailsPanel extends VerticalLayout {

    DetailsPanel() {
        setId("service-map-details");
        setWidth("24em");
        setPadding(true);
        setSpacing(false);
        getStyle().set("border-left", "1px solid var(--vaadin-border-color, #ddd)");
        getStyle().set("overflow", "auto");
        setVisible(false);
    }

    void showNode(ServiceMap map, Node n) {
        removeAll();
        add(new H3(n.name()));
        row(
                "Kind",
                n.kind().name().toLowerCase(Locale.ROOT) + " · "
                        + n.placement().name().toLowerCase(Locale.ROOT));
        if (!n.executable().isEmpty()) {
            row("Executable", n.executable());
        }
        if (!n.containerId().isEmpty()) {
            row("Container", n.containerId());
        }
        if (!n.address().isEmpty()) {
            row("Address", n.address());
        }
        if (!n.ports().isEmpty()) {
            row(
                    "Ports",
                    String.join(", ", n.ports().stream().map(String::valueOf).toList()));
        }
        List<Edge> in =
                map.edges().stream().filter(e -> e.target().equals(n.id())).toList();
        List<Edge> out =
                map.edges().stream().filter(e -> e.source().equals(n.id())).toList();
        add(new H4("As a server (" + in.size() + " callers)"));
        totals(in);
        add(new H4("As a client (" + out.size() + " dependencies)"));
        totals(out);
        setVisible(true);
    }

    void showEdge(Node from, Node to, Edge e) {
        removeAll();
        add(new H3(from.name() + " → " + to.name()));
        add(new H4("RED"));
        row(
                "Requests",
                String.format(
                        Locale.ROOT,
                        "%.0f (%.3f/s)",
                        e.red().requests(),
                        e.red().requestRate()));
        row(
                "Errors",
                String.format(
                        Locale.ROOT,
                        "%.0f (%.2f%%)",
                        e.red().errors(),
                        100 * e.red().errorRatio()));
        row(
                "p95",
                e.red().p95Seconds() == null
                        ? "no timed requests"
                        : seconds(e.red().p95Seconds()));
        add(new H4("Traffic"));
        row("Connects", String.format(Locale.ROOT, "%.0f", e.traffic().connects()));
        row("Bytes sent", bytes(e.traffic().bytesSent()));
        row("Bytes received", bytes(e.traffic().bytesReceived()));
        add(new H4("TCP health"));
        if (e.tcp().failedConnects().isEmpty()) {
            row("Failed connects", "none");
        }
        for (Map.Entry<String, Double> f : e.tcp().failedConnects().entrySet()) {
            row("Failed: " + f.getKey(), String.format(Locale.ROOT, "%.0f", f.getValue()));
        }
        row("Retransmits", String.format(Locale.ROOT, "%.0f", e.tcp().retransmits()));
        row("Resets received", String.format(Locale.ROOT, "%.0f", e.tcp().resetsReceived()));
        row("Resets sent", String.format(Locale.ROOT, "%.0f", e.tcp().resetsSent()));
        add(new H4("Dependency health"));
        HealthScores h = e.health();
        Span composite = row("Score", score(h.composite()));
        composite.setId("edge-health-score");
        row("Reliability", score(h.reliability()));
        row("Latency", score(h.latency()));
        row("Stability", score(h.stability()));
        row("Packet health", score(h.packetHealth()));
        row("Responsiveness", score(h.responsiveness()));
        setVisible(true);
    }

    private void totals(List<Edge> edges) {
        double requests = edges.stream().mapToDouble(e -> e.red().requests()).sum();
        double errors = edges.stream().mapToDouble(e -> e.red().errors()).sum();
        double rate = edges.stream().mapToDouble(e -> e.red().requestRate()).sum();
        double connects =
                edges.stream().mapToDouble(e -> e.traffic().connects()).sum();
        double failed = edges.stream().mapToDouble(e -> e.tcp().failedTotal()).sum();
        row(
                "Requests",
                String.format(Locale.ROOT, "%.3f/s, %.2f%% errors", rate, requests > 0 ? 100 * errors / requests : 0));
        row("Connects", String.format(Locale.ROOT, "%.0f (%.0f failed)", connects, failed));
    }

    private Span row(String label, String value) {
        Span v = new Span(value);
        Div line = new Div(new Span(label + ": "), v);
        add(line);
        return v;
    }

    static String score(Double s) {
        return s == null ? "no data" : String.format(Locale.ROOT, "%.2f", s);
    }

    static String seconds(double s) {
        return s < 1 ? String.format(Locale.ROOT, "%.1f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
