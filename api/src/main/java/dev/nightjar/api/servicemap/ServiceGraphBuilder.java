package dev.nightjar.api.servicemap;

import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.Kind;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import dev.nightjar.api.servicemap.ServiceMap.Placement;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.QueryResult.RangeSeries;
import dev.nightjar.promql.QueryResult.VectorSample;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the service map from the sensor's client-side series: one edge per (observing process, peer
 * address and port), collapsed onto nodes. A node is a service as a user names it — the executable plus
 * the ports it listens on (so nginx's workers are one node) — or a remote host by the name the node
 * resolved for it. A peer address and port that a known process listens on becomes that process.
 */
final class ServiceGraphBuilder {
    /** Sub-windows of the range for the recency-weighted composite score. */
    static final int SUB_WINDOWS = 6;

    private final GraphQueries.Source source;
    private final int maxNodes;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, EdgeTotals> edges = new TreeMap<>();
    private final Map<ProcKey, SortedSet<Integer>> listenPorts = new HashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    /** Addresses a host's own sockets are bound to (besides loopback), per sensor instance. */
    private final Map<String, Set<String>> ownAddresses = new HashMap<>();

    ServiceGraphBuilder(GraphQueries.Source source, int maxNodes) {
        this.source = source;
        this.maxNodes = maxNodes;
    }

    /** Where a process is: several processes of one executable share a node when they listen alike. */
    record ProcKey(String instance, String container, String pid) {
        static ProcKey of(Labels l) {
            return new ProcKey(l.get("instance"), l.get("container_id"), l.get("process_pid"));
        }
    }

    /**
     * A process that accepts connections on a port. {@code address} is empty when it was only seen serving
     * (no listen() observed), which says nothing about the address it is bound to.
     */
    record Listener(ProcKey proc, Labels labels, String address, int port) {}

    ServiceMap build(long fromMs, long toMs) {
        String range = GraphQueries.duration(toMs - fromMs);
        for (VectorSample s : source.instant(GraphQueries.listening(range), toMs)) {
            int port = port(s.labels().get("server_port"));
            if (port < 0 || s.value() <= 0) {
                continue;
            }
            ProcKey key = ProcKey.of(s.labels());
            String address = s.labels().get("server_address");
            if (PeerAddresses.isWildcard(address)) {
                address = PeerAddresses.ANY;
            } else if (!PeerAddresses.isLoopback(address)) {
                ownAddresses
                        .computeIfAbsent(key.instance(), k -> new HashSet<>())
                        .add(address);
            }
            listenPorts.computeIfAbsent(key, k -> new TreeSet<>()).add(port);
            listeners.add(new Listener(key, s.labels(), address, port));
        }
        for (VectorSample s : source.instant(GraphQueries.serving(range), toMs)) {
            int port = port(s.labels().get("server_port"));
            ProcKey key = ProcKey.of(s.labels());
            if (port < 0
                    || !listenPorts.computeIfAbsent(key, k -> new TreeSet<>()).add(port)) {
                continue; // already known from its listening gauge
            }
            listeners.add(new Listener(key, s.labels(), "", port));
        }
        listeners.sort(Comparator.comparing((Listener l) -> l.labels().toString()));
        accumulate(GraphQueries.connects(range), toMs, (e, s) -> {
            String outcome = s.labels().get("outcome");
            e.attempts += s.value();
            if (outcome.equals("established")) {
                e.established += s.value();
            } else if (!outcome.isEmpty()) {
                e.failed.merge(outcome, s.value(), Double::sum);
            }
        });
        accumulate(GraphQueries.bytes(range), toMs, (e, s) -> {
            if (s.labels().get("direction").equals("sent")) {
                e.bytesSent += s.value();
            } else {
                e.bytesReceived += s.value();
            }
        });
        accumulate(GraphQueries.retransmits(range), toMs, (e, s) -> e.retransmits += s.value());
        accumulate(GraphQueries.resets(range), toMs, (e, s) -> {
            if (s.labels().get("direction").equals("sent")) {
                e.resetsSent += s.value();
            } else {
                e.resetsReceived += s.value();
            }
        });
        accumulate(GraphQueries.requests(range), toMs, (e, s) -> e.requests += s.value());
        accumulate(GraphQueries.errors(range), toMs, (e, s) -> e.errors += s.value());
        accumulate(GraphQueries.durationBuckets(range), toMs, (e, s) -> {
            double le = Histograms.parseLe(s.labels().get("le"));
            if (!Double.isNaN(le)) {
                e.buckets.merge(le, s.value(), Double::sum);
            }
        });
        windows(fromMs, toMs);
        return assemble(fromMs, toMs);
    }

    private interface Adder {
        void add(EdgeTotals edge, VectorSample sample);
    }

    private void accumulate(String query, long timeMs, Adder adder) {
        for (VectorSample s : source.instant(query, timeMs)) {
            if (Double.isNaN(s.value()) || s.value() < 0) {
                continue;
            }
            adder.add(edgeFor(s.labels()), s);
        }
    }

    /** Sub-window failures for the composite score: one range query per signal, steps of range/6. */
    private void windows(long fromMs, long toMs) {
        long step = Math.max(1, (toMs - fromMs) / SUB_WINDOWS);
        long start = toMs - step * (SUB_WINDOWS - 1);
        String window = GraphQueries.duration(step);
        for (RangeSeries r : source.range(GraphQueries.connects(window), start, toMs, step)) {
            EdgeTotals e = edgeFor(r.labels());
            boolean ok = r.labels().get("outcome").equals("established");
            for (int i = 0; i < r.size(); i++) {
                int slot = slot(r.timestampsMs()[i], start, step);
                e.windowAttempts[slot] += r.values()[i];
                if (!ok) {
                    e.windowFailed[slot] += r.values()[i];
                }
            }
        }
        for (RangeSeries r : source.range(GraphQueries.requests(window), start, toMs, step)) {
            EdgeTotals e = edgeFor(r.labels());
            for (int i = 0; i < r.size(); i++) {
                e.windowRequests[slot(r.timestampsMs()[i], start, step)] += r.values()[i];
            }
        }
        for (RangeSeries r : source.range(GraphQueries.errors(window), start, toMs, step)) {
            EdgeTotals e = edgeFor(r.labels());
            for (int i = 0; i < r.size(); i++) {
                e.windowErrors[slot(r.timestampsMs()[i], start, step)] += r.values()[i];
            }
        }
    }

    private static int slot(long t, long start, long step) {
        return (int) Math.max(0, Math.min(SUB_WINDOWS - 1, (t - start) / step));
    }

    private EdgeTotals edgeFor(Labels l) {
        Node from = processNode(ProcKey.of(l), l);
        Node to = destination(l);
        String id = NodeIds.hash("edge", from.id(), to.id());
        return edges.computeIfAbsent(id, k -> new EdgeTotals(id, from.id(), to.id()));
    }

    private Node processNode(ProcKey key, Labels l) {
        String exe = l.get("process_executable_name");
        SortedSet<Integer> ports = listenPorts.getOrDefault(key, new TreeSet<>());
        String container = key.container();
        String id = NodeIds.hash("process", key.instance(), container, exe, ports.toString());
        return nodes.computeIfAbsent(id, k -> {
            StringBuilder name = new StringBuilder(exe.isEmpty() ? "unknown process" : exe);
            if (!ports.isEmpty()) {
                name.append(':');
                ports.stream().limit(3).forEach(p -> name.append(p).append(','));
                name.setLength(name.length() - 1);
                if (ports.size() > 3) {
                    name.append(",…");
                }
            }
            if (!container.isEmpty()) {
                name.append(" @ ").append(container, 0, Math.min(12, container.length()));
            }
            return new Node(
                    id,
                    name.toString(),
                    container.isEmpty() ? Kind.PROCESS : Kind.CONTAINER,
                    Placement.INTERNAL,
                    exe,
                    container,
                    key.instance(),
                    l.get("k8s_namespace_name"),
                    "",
                    List.copyOf(ports),
                    0,
                    0);
        });
    }

    /** The process that owns the peer's address and port if one is known, else the remote host. */
    private Node destination(Labels l) {
        String address = l.get("network_peer_address");
        int port = port(l.get("server_port"));
        String instance = l.get("instance");
        // Loopback, or an address this host's own sockets are bound to: the peer is on the client's host.
        boolean onThisHost = PeerAddresses.isLoopback(address)
                || ownAddresses.getOrDefault(instance, Set.of()).contains(address);
        boolean local = PeerAddresses.isPrivate(address);
        Listener owner = null;
        for (Listener listener : listeners) {
            if (listener.port() != port) {
                continue;
            }
            boolean sameHost = listener.proc().instance().equals(instance);
            boolean matches;
            if (onThisHost) {
                // Bound to that address, to every address, or seen serving the port: all of them take it.
                matches = sameHost
                        && (listener.address().isEmpty()
                                || listener.address().equals(PeerAddresses.ANY)
                                || listener.address().equals(address)
                                || (PeerAddresses.isLoopback(address) && PeerAddresses.isLoopback(listener.address())));
            } else {
                // Another host's address: only a listener known to be bound there (or to every private
                // address of a host, which is as close as the series let the map get).
                matches = listener.address().equals(address)
                        || (local && listener.address().equals(PeerAddresses.ANY));
            }
            if (matches && (owner == null || sameHost)) {
                owner = listener;
                if (sameHost) {
                    break;
                }
            }
        }
        if (owner != null) {
            return processNode(owner.proc(), owner.labels());
        }
        String peerName = l.get("network_peer_name");
        String host = peerName.isEmpty() ? (address.isEmpty() ? "unknown peer" : address) : peerName;
        String name = port >= 0 ? host + ":" + port : host;
        Placement placement = PeerAddresses.placement(address);
        String id = NodeIds.hash("peer", host, String.valueOf(port));
        return nodes.computeIfAbsent(
                id,
                k -> new Node(
                        id,
                        name,
                        Kind.EXTERNAL,
                        placement,
                        "",
                        "",
                        "",
                        "",
                        address,
                        port >= 0 ? List.of(port) : List.of(),
                        0,
                        0));
    }

    static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private ServiceMap assemble(long fromMs, long toMs) {
        double seconds = Math.max(1, (toMs - fromMs) / 1000.0);
        Map<String, Double> weight = new HashMap<>();
        List<Edge> built = new ArrayList<>();
        for (EdgeTotals e : edges.values()) {
            Edge edge = e.toEdge(seconds);
            built.add(edge);
            double w = e.attempts + e.requests + (e.bytesSent + e.bytesReceived) / 1e6;
            weight.merge(e.source, w, Double::sum);
            weight.merge(e.target, w, Double::sum);
        }
        List<Node> kept = new ArrayList<>(nodes.values());
        boolean truncated = kept.size() > maxNodes;
        if (truncated) {
            kept.sort(Comparator.comparing((Node n) -> -weight.getOrDefault(n.id(), 0.0))
                    .thenComparing(Node::id));
            kept = new ArrayList<>(kept.subList(0, maxNodes));
            var ids = new java.util.HashSet<String>();
            kept.forEach(n -> ids.add(n.id()));
            built.removeIf(e -> !ids.contains(e.source()) || !ids.contains(e.target()));
        }
        return new ServiceMap(fromMs, toMs, MapLayout.place(kept, built), built, truncated);
    }

    /** Mutable sums for one edge while the query results stream in. */
    private static final class EdgeTotals {
        final String id;
        final String source;
        final String target;
        double attempts;
        double established;
        final Map<String, Double> failed = new TreeMap<>();
        double bytesSent;
        double bytesReceived;
        double retransmits;
        double resetsSent;
        double resetsReceived;
        double requests;
        double errors;
        final Map<Double, Double> buckets = new TreeMap<>();
        final double[] windowAttempts = new double[SUB_WINDOWS];
        final double[] windowFailed = new double[SUB_WINDOWS];
        final double[] windowRequests = new double[SUB_WINDOWS];
        final double[] windowErrors = new double[SUB_WINDOWS];

        EdgeTotals(String id, String source, String target) {
            this.id = id;
            this.source = source;
            this.target = target;
        }

        Edge toEdge(double seconds) {
            Double p95 = Histograms.quantile(0.95, buckets);
            var red = new ServiceMap.Red(
                    requests, requests / seconds, errors, requests > 0 ? Math.min(1, errors / requests) : 0, p95);
            var traffic = new ServiceMap.Traffic(attempts, bytesSent, bytesReceived, requests / seconds);
            var tcp = new ServiceMap.TcpHealth(failed, retransmits, resetsReceived, resetsSent);
            List<DependencyHealth.Window> windows = new ArrayList<>();
            for (int i = 0; i < SUB_WINDOWS; i++) {
                windows.add(new DependencyHealth.Window(
                        windowAttempts[i], windowFailed[i], windowRequests[i], windowErrors[i]));
            }
            var totals = new DependencyHealth.Totals(
                    attempts,
                    established,
                    failed.getOrDefault("timeout", 0.0),
                    requests,
                    errors,
                    p95,
                    resetsReceived,
                    retransmits,
                    bytesSent + bytesReceived);
            return new Edge(id, source, target, traffic, red, tcp, DependencyHealth.score(totals, windows));
        }
    }

    /** Stable ids: a hash of the identity, so the same service keeps its id (and place) across refreshes. */
    static final class NodeIds {
        private NodeIds() {}

        static String hash(String... parts) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (String part : parts) {
                    digest.update(part.getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                }
                return HexFormat.of().formatHex(digest.digest(), 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always present", e);
            }
        }
    }
}
