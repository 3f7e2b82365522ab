package dev.nightjar.webapp.servicemap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.api.servicemap.ServiceMap;
import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.HealthScores;
import dev.nightjar.api.servicemap.ServiceMap.Kind;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import dev.nightjar.api.servicemap.ServiceMap.Placement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapChartTest {
    static Node node(String id, String name, String namespace) {
        return new Node(id, name, Kind.PROCESS, Placement.INTERNAL, name, "", "", namespace, "", List.of(), 1, 2);
    }

    static Edge edge(String from, String to, Double health) {
        return new Edge(
                from + to,
                from,
                to,
                new ServiceMap.Traffic(10, 1, 2, 0),
                new ServiceMap.Red(0, 0, 0, 0, null),
                new ServiceMap.TcpHealth(Map.of(), 0, 0, 0),
                new HealthScores(null, null, null, null, null, health));
    }

    final ServiceMap map = new ServiceMap(
            0,
            1,
            List.of(node("a", "frontend", "shop"), node("b", "{a}<script>x</script>", "shop"), node("c", "db", "data")),
            List.of(edge("a", "b", 1.0), edge("b", "c", 0.2)),
            false);

    @Test
    void telemetryNamesArePrintedLiterallyNotAsTemplates() {
        assertThat(MapChart.inert("{a}<script>x</script>\u0000")).isEqualTo("(a)<script>x</script> ");
        assertThat(MapChart.inert("x".repeat(500))).hasSize(120);
        @SuppressWarnings("unchecked")
        var series = (Map<String, Object>) ((List<?>) MapChart.option(map).get("series")).get(0);
        assertThat(series).containsEntry("layout", "none").containsEntry("roam", true);
        @SuppressWarnings("unchecked")
        var data = (List<Map<String, Object>>) series.get("data");
        assertThat(data).extracting(d -> d.get("name")).containsExactly("a", "b", "c");
        assertThat(data.get(1).get("label")).isEqualTo(Map.of("formatter", "(a)<script>x</script>"));
    }

    @Test
    void filterKeepsMatchesAndTheirNeighbours() {
        ServiceMap byName = MapChart.filter(map, "DB", "");
        assertThat(byName.nodes()).extracting(Node::id).containsExactly("b", "c");
        assertThat(byName.edges()).hasSize(1);
        ServiceMap byNamespace = MapChart.filter(map, "", "shop");
        assertThat(byNamespace.nodes()).extracting(Node::id).containsExactly("a", "b", "c");
        assertThat(MapChart.filter(map, "nothing", "").nodes()).isEmpty();
    }

    @Test
    void edgesAreColouredByHealthAndLargeMapsDoNotAnimate() {
        assertThat(MapChart.healthColor(1.0)).isEqualTo("#43a047");
        assertThat(MapChart.healthColor(0.2)).isEqualTo("#e53935");
        assertThat(MapChart.healthColor(null)).isEqualTo("#9e9e9e");
        assertThat(MapChart.option(map)).containsEntry("animation", true);
        List<Node> many = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(node("n" + i, "svc-" + i, ""));
        }
        assertThat(MapChart.option(new ServiceMap(0, 1, many, List.of(), false)))
                .containsEntry("animation", false);
    }
}
