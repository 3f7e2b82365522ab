package dev.nightjar.webapp.infrastructure;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.promql.QueryResult.VectorSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hosts → containers → processes from the node sensor's series over a range. The sensor reports no CPU
 * and only its own memory, so those columns say "not reported" rather than inventing numbers.
 */
final class Inventory {
    /** Restarts and failed exits at or above this in the range flag a crash loop. */
    static final int CRASH_LOOP_RESTARTS = 3;

    private static final String PROC = "instance, container_id, process_executable_path";

    private Inventory() {}

    /** One row of the tree; hosts and containers hold children, processes are leaves. */
    record Row(
            String name,
            String kind,
            String ports,
            double bytesSent,
            double bytesReceived,
            double connections,
            String memory,
            String cpu,
            Lifecycle lifecycle,
            List<Row> children) {}

    /** Process lifecycle over the range, from {@code nightjar.process.*}. */
    record Lifecycle(double starts, double exits, double failedExits, double signalled, double restarts) {
        static final Lifecycle NONE = new Lifecycle(0, 0, 0, 0, 0);

        boolean crashLoop() {
            return restarts >= CRASH_LOOP_RESTARTS && failedExits + signalled >= CRASH_LOOP_RESTARTS;
        }

        String text() {
            if (this.equals(NONE)) {
                return "";
            }
            return String.format(
                    java.util.Locale.ROOT,
                    "%.0f starts · %.0f exits (%.0f failed, %.0f signalled) · %.0f restarts",
                    starts,
                    exits,
                    failedExits,
                    signalled,
                    restarts);
        }
    }

    private static final class Proc {
        String instance = "";
        String container = "";
        String path = "";
        String name = "";
        final SortedSet<Integer> ports = new TreeSet<>();
        double sent;
        double received;
        double connections;
        Lifecycle lifecycle = Lifecycle.NONE;
    }

    static List<Row> load(PromqlEngine engine, MetricsReader reader, TenantId tenant, long fromMs, long toMs) {
        String r = "[" + Math.max(1, toMs - fromMs) + "ms]";
        Map<String, Proc> procs = new TreeMap<>();
        for (VectorSample s : vector(
                engine,
                reader,
                tenant,
                toMs,
                "max by (" + PROC + ", process_executable_name, server_port) (max_over_time(nightjar_tcp_listening" + r
                        + "))")) {
            try {
                proc(procs, s.labels()).ports.add(Integer.parseInt(s.labels().get("server_port")));
            } catch (NumberFormatException ignored) {
                // A malformed port label is skipped, not shown.
            }
        }
        for (VectorSample s : vector(
                engine,
                reader,
                tenant,
                toMs,
                "sum by (" + PROC + ", process_executable_name, direction) (increase(nightjar_tcp_bytes_total" + r
                        + "))")) {
            Proc p = proc(procs, s.labels());
            if (s.labels().get("direction").equals("sent")) {
                p.sent += s.value();
            } else {
                p.received += s.value();
            }
        }
        for (String q : List.of(
                // Every outcome, so a process whose connects all fail is listed too; only established count.
                "sum by (" + PROC + ", process_executable_name, outcome) (increase(nightjar_tcp_connects_total" + r
                        + "))",
                "sum by (" + PROC + ", process_executable_name) (increase(nightjar_tcp_accepts_total" + r + "))")) {
            for (VectorSample s : vector(engine, reader, tenant, toMs, q)) {
                Proc p = proc(procs, s.labels());
                String outcome = s.labels().get("outcome");
                if (outcome.isEmpty() || outcome.equals("established")) {
                    p.connections += s.value();
                }
            }
        }
        Map<String, double[]> life = new TreeMap<>();
        String[] counters = {"starts", "exits", "failed_exits", "signalled", "restarts"};
        for (int i = 0; i < counters.length; i++) {
            for (VectorSample s : vector(
                    engine,
                    reader,
                    tenant,
                    toMs,
                    "sum by (" + PROC + ") (increase(nightjar_process_" + counters[i] + "_total" + r + "))")) {
                life.computeIfAbsent(key(s.labels()), k -> new double[counters.length])[i] += s.value();
                proc(procs, s.labels());
            }
        }
        life.forEach((k, v) -> procs.get(k).lifecycle = new Lifecycle(v[0], v[1], v[2], v[3], v[4]));
        Map<String, Double> sensorRss = new TreeMap<>();
        for (VectorSample s : vector(
                engine,
                reader,
                tenant,
                toMs,
                "max by (instance) (last_over_time(nightjar_sensor_memory_rss_bytes" + r + "))")) {
            sensorRss.put(s.labels().get("instance"), s.value());
        }
        List<String> hostNames = new ArrayList<>();
        for (VectorSample s : vector(
                engine,
                reader,
                tenant,
                toMs,
                "max by (instance, host_name) (last_over_time(target_info{job=\"nightjar-sensor\"}" + r + "))")) {
            hostNames.add(s.labels().get("host_name"));
        }
        return tree(procs, sensorRss, hostNames);
    }

    private static List<Row> tree(Map<String, Proc> procs, Map<String, Double> sensorRss, List<String> hostNames) {
        // Series carry a host only when the sensor sets service.instance.id; without it every process is
        // under one row named after the sensor hosts that reported (target_info).
        Map<String, Map<String, List<Row>>> byHost = new TreeMap<>();
        for (Proc p : procs.values()) {
            String name = !p.name.isEmpty() ? p.name : p.path.substring(p.path.lastIndexOf('/') + 1);
            Row row = new Row(
                    name.isEmpty() ? "unknown" : name + (p.path.isEmpty() ? "" : " (" + p.path + ")"),
                    p.container.isEmpty() ? "process" : "process in container",
                    String.join(", ", p.ports.stream().map(String::valueOf).toList()),
                    p.sent,
                    p.received,
                    p.connections,
                    "not reported",
                    "not reported",
                    p.lifecycle,
                    List.of());
            byHost.computeIfAbsent(p.instance, k -> new TreeMap<>())
                    .computeIfAbsent(p.container, k -> new ArrayList<>())
                    .add(row);
        }
        List<Row> hosts = new ArrayList<>();
        byHost.forEach((instance, containers) -> {
            List<Row> children = new ArrayList<>();
            containers.forEach((container, rows) -> {
                if (container.isEmpty()) {
                    children.addAll(rows);
                } else {
                    children.add(sum(
                            "container " + container.substring(0, Math.min(12, container.length())),
                            "container",
                            "not reported",
                            rows));
                }
            });
            String hostName = !instance.isEmpty()
                    ? instance
                    : hostNames.isEmpty() ? "host (name not reported)" : String.join(", ", hostNames);
            Double rss = sensorRss.get(instance);
            String memory = rss == null ? "not reported" : "sensor RSS " + Math.round(rss / 1048576) + " MiB";
            hosts.add(sum(hostName, "host", memory, children));
        });
        return hosts;
    }

    private static Row sum(String name, String kind, String memory, List<Row> children) {
        double sent = 0;
        double received = 0;
        double connections = 0;
        double[] l = new double[5];
        for (Row c : children) {
            sent += c.bytesSent();
            received += c.bytesReceived();
            connections += c.connections();
            Lifecycle x = c.lifecycle();
            l[0] += x.starts();
            l[1] += x.exits();
            l[2] += x.failedExits();
            l[3] += x.signalled();
            l[4] += x.restarts();
        }
        return new Row(
                name,
                kind,
                "",
                sent,
                received,
                connections,
                memory,
                "not reported",
                new Lifecycle(l[0], l[1], l[2], l[3], l[4]),
                List.copyOf(children));
    }

    private static String key(Labels l) {
        return l.get("instance") + "\u0000" + l.get("container_id") + "\u0000" + l.get("process_executable_path");
    }

    private static Proc proc(Map<String, Proc> procs, Labels l) {
        Proc p = procs.computeIfAbsent(key(l), k -> new Proc());
        p.instance = l.get("instance");
        p.container = l.get("container_id");
        p.path = l.get("process_executable_path");
        if (p.name.isEmpty()) {
            p.name = l.get("process_executable_name");
        }
        return p;
    }

    private static List<VectorSample> vector(
            PromqlEngine engine, MetricsReader reader, TenantId tenant, long timeMs, String query) {
        return switch (engine.instantQuery(reader, tenant, query, timeMs)) {
            case QueryResult.VectorResult v ->
                v.samples().stream().filter(s -> !Double.isNaN(s.value())).toList();
            default -> List.of();
        };
    }
}
