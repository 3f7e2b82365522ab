package dev.nightjar.api.servicemap;

import java.util.List;
import java.util.Map;

/**
 * A directed service graph for one time range: who connected to whom, how much, and how healthy each
 * dependency was. Values are totals over the range unless a name says "rate" (per second).
 *
 * @param truncated true when the graph had more than the node limit and the quietest nodes were dropped
 */
public record ServiceMap(long fromMs, long toMs, List<Node> nodes, List<Edge> edges, boolean truncated) {

    public ServiceMap {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** What a node stands for. */
    public enum Kind {
        PROCESS,
        CONTAINER,
        EXTERNAL
    }

    /** Where a node lives relative to the observed nodes. */
    public enum Placement {
        INTERNAL,
        EXTERNAL,
        LOCALHOST
    }

    /**
     * A process, container or remote host.
     *
     * @param id stable across refreshes: a hash of the node's identity, never of its position or metrics
     * @param name display name: executable plus listening port(s), or the remote host name (else address)
     * @param ports listening ports (processes) or the destination port (remote hosts)
     * @param x layout position computed on the server, so the map does not move between refreshes
     */
    public record Node(
            String id,
            String name,
            Kind kind,
            Placement placement,
            String executable,
            String containerId,
            String instance,
            String namespace,
            String address,
            List<Integer> ports,
            double x,
            double y) {
        public Node {
            ports = List.copyOf(ports);
        }

        Node at(double newX, double newY) {
            return new Node(
                    id,
                    name,
                    kind,
                    placement,
                    executable,
                    containerId,
                    instance,
                    namespace,
                    address,
                    ports,
                    newX,
                    newY);
        }
    }

    /** A client-to-server dependency seen from the client's side. */
    public record Edge(
            String id, String source, String target, Traffic traffic, Red red, TcpHealth tcp, HealthScores health) {}

    /** Connection and byte counts over the range; {@code requestRate} is L7 requests per second. */
    public record Traffic(double connects, double bytesSent, double bytesReceived, double requestRate) {}

    /**
     * Rate, errors and duration of L7 requests (HTTP, Redis, PostgreSQL, Memcached as the sensor parses them).
     *
     * @param p95Seconds null when no request was timed in the range
     */
    public record Red(double requests, double requestRate, double errors, double errorRatio, Double p95Seconds) {}

    /** TCP-level trouble: failed connects by outcome (refused, timeout, unreachable, failed), retransmits, RSTs. */
    public record TcpHealth(
            Map<String, Double> failedConnects, double retransmits, double resetsReceived, double resetsSent) {
        public TcpHealth {
            failedConnects = Map.copyOf(failedConnects);
        }

        public double failedTotal() {
            return failedConnects.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        }
    }

    /**
     * Dependency health scores in [0, 1] (1 is healthy); null where the range holds nothing to judge by.
     *
     * @param composite recent-weighted overall score: failures in the last sub-windows of the range weigh
     *     most and fade as they age out
     */
    public record HealthScores(
            Double reliability,
            Double latency,
            Double stability,
            Double packetHealth,
            Double responsiveness,
            Double composite) {}
}
