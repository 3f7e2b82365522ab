package dev.nightjar.api.servicemap;

import dev.nightjar.promql.QueryResult.RangeSeries;
import dev.nightjar.promql.QueryResult.VectorSample;
import java.util.List;

/**
 * The PromQL the map is built from, over the sensor's series as the OTLP-to-Prometheus translation names
 * them ({@code nightjar.tcp.connects} → {@code nightjar_tcp_connects_total}, attributes with dots →
 * underscores). Only the range is interpolated into the text, and only as a number of milliseconds.
 */
final class GraphQueries {
    /** Who: the observing process. {@code instance} is set when the sensor reports {@code service.instance.id}. */
    static final String SOURCE = "instance, container_id, process_pid, process_executable_name, k8s_namespace_name";
    /** Whom: the peer as the client saw it. */
    static final String PEER = "network_peer_name, network_peer_address, server_port";

    private static final String CLIENT = "{nightjar_role=\"client\"}";
    private static final String SERVER = "{nightjar_role=\"server\"}";

    /** Runs a query for the caller's tenant; the builder never sees the tenant or the engine. */
    interface Source {
        List<VectorSample> instant(String query, long timeMs);

        List<RangeSeries> range(String query, long startMs, long endMs, long stepMs);
    }

    private GraphQueries() {}

    static String duration(long ms) {
        return Math.max(1, ms) + "ms";
    }

    private static String sumIncrease(String metric, String extraBy, String window) {
        String by = SOURCE + ", " + PEER + (extraBy.isEmpty() ? "" : ", " + extraBy);
        return "sum by (" + by + ") (increase(" + metric + CLIENT + "[" + window + "]))";
    }

    static String connects(String window) {
        return sumIncrease("nightjar_tcp_connects_total", "outcome", window);
    }

    static String bytes(String window) {
        return sumIncrease("nightjar_tcp_bytes_total", "direction", window);
    }

    static String retransmits(String window) {
        return sumIncrease("nightjar_tcp_retransmits_total", "", window);
    }

    static String resets(String window) {
        return sumIncrease("nightjar_tcp_resets_total", "direction", window);
    }

    static String requests(String window) {
        return sumIncrease("nightjar_l7_requests_total", "", window);
    }

    static String errors(String window) {
        return sumIncrease("nightjar_l7_errors_total", "", window);
    }

    static String durationBuckets(String window) {
        return sumIncrease("nightjar_l7_duration_seconds_bucket", "le", window);
    }

    /**
     * Ports a process served connections on, from its server-side series: a listener the sensor did not
     * report (one that predates a sensor unable to read /proc) still shows here.
     */
    static String serving(String window) {
        return "max by (" + SOURCE + ", server_port) (max_over_time(nightjar_tcp_accepts_total" + SERVER + "[" + window
                + "]) or max_over_time(nightjar_tcp_bytes_total" + SERVER + "[" + window + "]))";
    }

    static String listening(String window) {
        return "max by (" + SOURCE + ", server_address, server_port) (max_over_time(nightjar_tcp_listening[" + window
                + "]))";
    }
}
