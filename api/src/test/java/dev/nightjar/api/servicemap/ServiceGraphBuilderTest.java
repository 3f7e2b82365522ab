package dev.nightjar.api.servicemap;

import static dev.nightjar.api.servicemap.SensorSeries.client;
import static dev.nightjar.api.servicemap.SensorSeries.process;
import static dev.nightjar.api.servicemap.SensorSeries.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.Kind;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import dev.nightjar.api.servicemap.ServiceMap.Placement;
import dev.nightjar.core.TenantId;
import dev.nightjar.promql.PromqlEngine;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ServiceGraphBuilderTest {
    static final TenantId A = TenantId.of(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    static final TenantId B = TenantId.of(UUID.fromString("00000000-0000-0000-0000-00000000000b"));
    final PromqlEngine engine = new PromqlEngine();
    // 41 scrapes, 15 s apart: a 10-minute range.
    final SensorSeries data = new SensorSeries(1_700_000_000_000L, 41);

    ServiceMap map(TenantId tenant) {
        return ServiceMaps.build(engine, data.store, tenant, data.start, data.end());
    }

    static Node node(ServiceMap map, String name) {
        return find(map, name).orElseThrow(() -> new AssertionError("no node " + name + " in " + map.nodes()));
    }

    static Optional<Node> find(ServiceMap map, String name) {
        return map.nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    static Edge edge(ServiceMap map, String from, String to) {
        String s = node(map, from).id();
        String t = node(map, to).id();
        return map.edges().stream()
                .filter(e -> e.source().equals(s) && e.target().equals(t))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no edge " + from + " -> " + to));
    }

    /** A web app on this host calling its database (through a listener) and an external API by name. */
    void seedTypicalHost(TenantId tenant) {
        var app = process("100", "app", "");
        var db = process("200", "postgres", "");
        var nginx1 = process("300", "nginx", "");
        var nginx2 = process("301", "nginx", "");
        data.listening(tenant, db, "0.0.0.0", 5432);
        data.listening(tenant, nginx1, "0.0.0.0", 80);
        data.listening(tenant, nginx2, "0.0.0.0", 80);
        data.listening(tenant, app, "127.0.0.1", 8080);
        var toDb = client(app, "127.0.0.1", "", 5432);
        data.counter(tenant, "nightjar_tcp_connects_total", with(toDb, "outcome", "established"), 2);
        data.counter(tenant, "nightjar_tcp_bytes_total", with(toDb, "direction", "sent"), 1000);
        data.counter(tenant, "nightjar_tcp_bytes_total", with(toDb, "direction", "received"), 5000);
        data.counter(tenant, "nightjar_l7_requests_total", with(toDb, "network_protocol_name", "postgresql"), 10);
        data.counter(tenant, "nightjar_l7_errors_total", with(toDb, "network_protocol_name", "postgresql"), 1);
        // All requests between 10 and 25 ms.
        for (String le : new String[] {"0.005", "0.01"}) {
            data.counter(tenant, "nightjar_l7_duration_seconds_bucket", with(toDb, "le", le), 0);
        }
        for (String le : new String[] {"0.025", "0.05", "+Inf"}) {
            data.counter(tenant, "nightjar_l7_duration_seconds_bucket", with(toDb, "le", le), 10);
        }
        var toApi = client(app, "140.82.112.3", "api.github.com", 443);
        data.counter(tenant, "nightjar_tcp_connects_total", with(toApi, "outcome", "established"), 1);
        data.counter(tenant, "nightjar_tcp_connects_total", with(toApi, "outcome", "timeout"), 1);
        data.counter(tenant, "nightjar_tcp_retransmits_total", toApi, 3);
        // Both nginx workers proxy to the app on localhost.
        for (var worker : java.util.List.of(nginx1, nginx2)) {
            var toApp = client(worker, "127.0.0.1", "", 8080);
            data.counter(tenant, "nightjar_tcp_connects_total", with(toApp, "outcome", "established"), 1);
        }
    }

    @Test
    void buildsNodesEdgesAndNamesFromListeningPorts() {
        seedTypicalHost(A);
        ServiceMap map = map(A);

        assertThat(map.nodes())
                .extracting(Node::name)
                .containsExactlyInAnyOrder("app:8080", "postgres:5432", "nginx:80", "api.github.com:443");
        assertThat(node(map, "postgres:5432").kind()).isEqualTo(Kind.PROCESS);
        assertThat(node(map, "postgres:5432").placement()).isEqualTo(Placement.INTERNAL);
        Node github = node(map, "api.github.com:443");
        assertThat(github.kind()).isEqualTo(Kind.EXTERNAL);
        assertThat(github.placement()).isEqualTo(Placement.EXTERNAL);
        assertThat(map.edges()).hasSize(3);
        assertThat(map.truncated()).isFalse();

        Edge db = edge(map, "app:8080", "postgres:5432");
        // 40 scrape intervals × 2 connects; increase() over exactly the sampled span is exact.
        assertThat(db.traffic().connects()).isCloseTo(80, within(1.0));
        assertThat(db.traffic().bytesSent()).isCloseTo(40_000, within(500.0));
        assertThat(db.traffic().bytesReceived()).isCloseTo(200_000, within(2500.0));
        assertThat(db.red().requests()).isCloseTo(400, within(5.0));
        assertThat(db.red().requestRate()).isCloseTo(400 / 600.0, within(0.01));
        assertThat(db.red().errorRatio()).isCloseTo(0.1, within(0.001));
        assertThat(db.red().p95Seconds()).isBetween(0.01, 0.025);
        assertThat(db.health().reliability()).isEqualTo(1.0);
        assertThat(db.health().latency()).isEqualTo(1.0);

        Edge api = edge(map, "app:8080", "api.github.com:443");
        assertThat(api.tcp().failedConnects()).containsOnlyKeys("timeout");
        assertThat(api.tcp().retransmits()).isCloseTo(120, within(2.0));
        assertThat(api.health().reliability()).isCloseTo(0.5, within(0.01));
        assertThat(api.health().responsiveness()).isCloseTo(0.5, within(0.01));
        assertThat(api.health().composite()).isLessThan(db.health().composite());
        assertThat(api.red().p95Seconds()).isNull();

        // Two nginx workers with the same listening port are one service.
        assertThat(edge(map, "nginx:80", "app:8080").traffic().connects()).isCloseTo(80, within(1.0));
    }

    @Test
    void idsAndPositionsAreStableAcrossRefreshes() {
        seedTypicalHost(A);
        ServiceMap first = map(A);
        ServiceMap second = ServiceMaps.build(engine, data.store, A, data.start + 15_000, data.end());
        assertThat(second.nodes()).isEqualTo(first.nodes());
        assertThat(second.edges())
                .extracting(Edge::id)
                .containsExactlyElementsOf(first.edges().stream().map(Edge::id).toList());
        // Callers left of callees.
        assertThat(node(first, "nginx:80").x())
                .isLessThan(node(first, "app:8080").x());
        assertThat(node(first, "app:8080").x())
                .isLessThan(node(first, "postgres:5432").x());
    }

    @Test
    void loopbackPeerJoinsTheProcessServingThatPortOnTheSameHost() {
        // The server started before the sensor: no listening gauge, only its server-side series.
        var server = with(process("500", "java", ""), "instance", "vm");
        var served =
                with(server, "network_peer_address", "127.0.0.1", "server_port", "18095", "nightjar_role", "server");
        data.counter(A, "nightjar_tcp_accepts_total", served, 1);
        data.counter(A, "nightjar_tcp_bytes_total", with(served, "direction", "received"), 100);
        var curl = with(process("501", "curl", ""), "instance", "vm");
        var toServer = client(curl, "127.0.0.1", "vm", 18095);
        data.counter(A, "nightjar_tcp_connects_total", with(toServer, "outcome", "established"), 1);
        // The same port on another host is not the destination of a loopback connection.
        var elsewhere = with(process("600", "other", ""), "instance", "node-2");
        data.listening(A, elsewhere, "0.0.0.0", 18095);

        ServiceMap map = map(A);
        assertThat(find(map, "vm:18095")).isEmpty();
        assertThat(edge(map, "curl", "java:18095").traffic().connects()).isCloseTo(40, within(1.0));
        assertThat(map.edges()).hasSize(1);
    }

    @Test
    void peerOnOneOfTheHostsOwnAddressesJoinsTheWildcardListener() {
        var sshd = with(process("700", "sshd", ""), "instance", "vm");
        data.listening(A, sshd, "203.0.113.5", 22); // a public address of this host
        var web = with(process("701", "web", ""), "instance", "vm");
        data.listening(A, web, "::", 8443);
        var client = with(process("702", "curl", ""), "instance", "vm");
        var toWeb = client(client, "203.0.113.5", "vm.example.com", 8443);
        data.counter(A, "nightjar_tcp_connects_total", with(toWeb, "outcome", "established"), 1);
        // A public address that is not this host's stays an external host.
        var toOther = client(client, "198.51.100.9", "other.example.com", 8443);
        data.counter(A, "nightjar_tcp_connects_total", with(toOther, "outcome", "established"), 1);

        ServiceMap map = map(A);
        assertThat(edge(map, "curl", "web:8443").traffic().connects()).isCloseTo(40, within(1.0));
        assertThat(find(map, "vm.example.com:8443")).isEmpty();
        assertThat(node(map, "other.example.com:8443").placement()).isEqualTo(Placement.EXTERNAL);
    }

    @Test
    void classifiesPeersWithoutListeners() {
        var app = process("1", "curl", "");
        data.counter(
                A, "nightjar_tcp_connects_total", with(client(app, "10.1.2.3", "", 9200), "outcome", "established"), 1);
        data.counter(
                A, "nightjar_tcp_connects_total", with(client(app, "127.0.0.1", "", 6379), "outcome", "refused"), 1);
        data.counter(
                A,
                "nightjar_tcp_connects_total",
                with(client(app, "::ffff:8.8.8.8", "", 53), "outcome", "established"),
                1);
        ServiceMap map = map(A);
        assertThat(node(map, "10.1.2.3:9200").placement()).isEqualTo(Placement.INTERNAL);
        assertThat(node(map, "127.0.0.1:6379").placement()).isEqualTo(Placement.LOCALHOST);
        assertThat(node(map, "::ffff:8.8.8.8:53").placement()).isEqualTo(Placement.EXTERNAL);
        Edge refused = edge(map, "curl", "127.0.0.1:6379");
        assertThat(refused.tcp().failedConnects()).containsKey("refused");
        assertThat(refused.health().reliability()).isEqualTo(0.0);
        assertThat(refused.health().composite()).isEqualTo(0.0);
    }

    @Test
    void containersAreNamedByExecutableAndShortId() {
        var web = process("7", "gunicorn", "0123456789abcdef0123");
        data.listening(A, web, "0.0.0.0", 8000);
        data.counter(
                A,
                "nightjar_tcp_connects_total",
                with(client(web, "93.184.216.34", "example.com", 443), "outcome", "established"),
                1);
        ServiceMap map = map(A);
        Node n = node(map, "gunicorn:8000 @ 0123456789ab");
        assertThat(n.kind()).isEqualTo(Kind.CONTAINER);
        assertThat(n.containerId()).isEqualTo("0123456789abcdef0123");
    }

    @Test
    void compositeRecoversAsFailuresAgeOut() {
        var app = process("1", "app", "");
        var peer = client(app, "10.0.0.9", "", 80);
        // Failures only in the first minute of the 10-minute range, then all connects succeed.
        data.counter(A, "nightjar_tcp_connects_total", with(peer, "outcome", "refused"), i -> 5.0 * Math.min(i, 4));
        data.counter(A, "nightjar_tcp_connects_total", with(peer, "outcome", "established"), i -> 5.0 * i);
        var tenantEarly = map(A);
        var early = edge(tenantEarly, "app", "10.0.0.9:80").health();

        var later = new SensorSeries(data.start, 41);
        // Same volume of failures, but in the last minute.
        later.counter(
                A, "nightjar_tcp_connects_total", with(peer, "outcome", "refused"), i -> 5.0 * Math.max(0, i - 36));
        later.counter(A, "nightjar_tcp_connects_total", with(peer, "outcome", "established"), i -> 5.0 * i);
        var recent = edge(ServiceMaps.build(engine, later.store, A, later.start, later.end()), "app", "10.0.0.9:80")
                .health();

        assertThat(early.reliability()).isCloseTo(recent.reliability(), within(0.02));
        assertThat(early.composite()).isGreaterThan(0.95);
        assertThat(recent.composite()).isLessThan(early.composite() - 0.1);
    }

    @Test
    void tenantBSeriesNeverAppearForTenantA() {
        seedTypicalHost(A);
        var secret = process("9", "secret-service", "");
        data.listening(B, secret, "0.0.0.0", 9999);
        data.counter(
                B,
                "nightjar_tcp_connects_total",
                with(client(secret, "10.9.9.9", "tenant-b.internal", 5432), "outcome", "established"),
                1);
        ServiceMap a = map(A);
        assertThat(a.nodes()).extracting(Node::name).noneMatch(n -> n.contains("secret") || n.contains("tenant-b"));
        ServiceMap b = map(B);
        assertThat(b.nodes())
                .extracting(Node::name)
                .containsExactlyInAnyOrder("secret-service:9999", "tenant-b.internal:5432");
    }

    @Test
    void hostileLabelValuesStayPlainData() {
        var evil = process("1", "<script>alert(1)</script>", "");
        data.counter(
                A,
                "nightjar_tcp_connects_total",
                with(client(evil, "not-an-ip\"; DROP", "名前.例え.jp\u0000{b}", 99999), "outcome", "weird\nout"),
                1);
        data.counter(
                A,
                "nightjar_tcp_connects_total",
                with(client(evil, "999.1.1.1", "", 443), "outcome", "established"),
                1);
        ServiceMap map = map(A);
        assertThat(map.nodes())
                .extracting(Node::name)
                .contains("<script>alert(1)</script>", "名前.例え.jp\u0000{b}", "999.1.1.1:443");
        // An unparseable address is never treated as local, and an out-of-range port is dropped.
        assertThat(node(map, "999.1.1.1:443").placement()).isEqualTo(Placement.EXTERNAL);
        assertThat(node(map, "名前.例え.jp\u0000{b}").ports()).isEmpty();
    }

    @Test
    void emptyStoreGivesAnEmptyMap() {
        ServiceMap map = map(A);
        assertThat(map.nodes()).isEmpty();
        assertThat(map.edges()).isEmpty();
    }

    @Test
    void keepsTheBusiestNodesOverTheLimit() {
        var app = process("1", "app", "");
        for (int i = 0; i < 30; i++) {
            data.counter(
                    A,
                    "nightjar_tcp_connects_total",
                    with(client(app, "10.0.1." + i, "", 80), "outcome", "established"),
                    i + 1);
        }
        GraphQueries.Source source = new GraphQueries.Source() {
            @Override
            public java.util.List<dev.nightjar.promql.QueryResult.VectorSample> instant(String q, long t) {
                return ((dev.nightjar.promql.QueryResult.VectorResult) engine.instantQuery(data.store, A, q, t))
                        .samples();
            }

            @Override
            public java.util.List<dev.nightjar.promql.QueryResult.RangeSeries> range(
                    String q, long s, long e, long step) {
                return engine.rangeQuery(data.store, A, q, s, e, step).series();
            }
        };
        ServiceMap map = new ServiceGraphBuilder(source, 5).build(data.start, data.end());
        assertThat(map.truncated()).isTrue();
        assertThat(map.nodes()).hasSize(5);
        assertThat(map.nodes()).extracting(Node::name).contains("app", "10.0.1.29:80", "10.0.1.28:80");
        assertThat(map.edges()).hasSize(4);
    }

    @Test
    void rejectsBadRanges() {
        assertThatThrownBy(() -> ServiceMaps.build(engine, data.store, A, 10, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceMaps.build(engine, data.store, A, 0, ServiceMaps.MAX_RANGE.toMillis() + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
