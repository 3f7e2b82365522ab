package dev.nightjar.sensors.export;

import dev.nightjar.sensors.Feature;
import dev.nightjar.sensors.FeatureStatus;
import dev.nightjar.sensors.L7State;
import dev.nightjar.sensors.NetworkState;
import dev.nightjar.sensors.ProcessState;
import dev.nightjar.sensors.ProcessState.ProcessInfo;
import dev.nightjar.sensors.Sensor;
import dev.nightjar.sensors.event.SyscallLatency;
import dev.nightjar.sensors.export.MetricsBuilder.Attr;
import dev.nightjar.sensors.k8s.KubernetesPods.PodRef;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sensor's state as one OTLP metrics request (cumulative since the sensor started). Metric
 * names and attributes are the contract with the backend's service map: see sensors/README.md.
 */
public final class SensorMetrics {

    private final Sensor sensor;
    private final String nodeName;
    private final long startEpochNanos;
    private final ExportStats exportStats;
    private final Function<String, Optional<PodRef>> pods;
    /** The series sent so far and the last export's time: new series get a zero point (MetricsBuilder). */
    private final SeriesSeen seen = new SeriesSeen(MAX_REMEMBERED_SERIES);

    private long previousNanos;

    /** Series remembered for their zero points: 64K × 16 bytes of table. */
    private static final int MAX_REMEMBERED_SERIES = 65_536;

    public SensorMetrics(Sensor sensor, String nodeName, long startEpochNanos, ExportStats exportStats) {
        this(sensor, nodeName, startEpochNanos, exportStats, containerId -> Optional.empty());
    }

    /** {@code pods} names the pod and workload of a container id (Kubernetes), or nothing. */
    public SensorMetrics(
            Sensor sensor,
            String nodeName,
            long startEpochNanos,
            ExportStats exportStats,
            Function<String, Optional<PodRef>> pods) {
        this.sensor = sensor;
        this.nodeName = nodeName;
        this.startEpochNanos = startEpochNanos;
        this.exportStats = exportStats;
        this.pods = pods;
    }

    public synchronized ExportMetricsServiceRequest collect(long nowEpochNanos) {
        MetricsBuilder m = new MetricsBuilder(startEpochNanos, previousNanos, nowEpochNanos, seen);
        previousNanos = nowEpochNanos;
        network(m);
        processes(m);
        dns(m);
        l7(m);
        syscalls(m);
        self(m);
        Resource resource = Resource.newBuilder()
                .addAllAttributes(MetricsBuilder.keyValues(
                        Attr.of("service.name", "nightjar-sensor"),
                        Attr.of("host.name", nodeName),
                        Attr.of("k8s.node.name", System.getenv("NODE_NAME"))))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource)
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("dev.nightjar.sensors"))
                                .addAllMetrics(m.build())))
                .build();
    }

    private Attr[] process(int pid, Attr... more) {
        ProcessInfo info = sensor.processes().describe(pid);
        List<Attr> out = new ArrayList<>(8 + more.length);
        out.add(Attr.of("process.pid", (long) pid));
        out.add(Attr.of("process.executable.path", info.executable()));
        out.add(Attr.of("process.executable.name", info.comm()));
        out.add(Attr.of("container.id", info.container()));
        pods.apply(info.container()).ifPresent(pod -> out.addAll(kubernetes(pod)));
        out.addAll(Arrays.asList(more));
        return out.toArray(Attr[]::new);
    }

    /** OpenTelemetry's k8s.* resource attributes for the pod and its controlling workload. */
    static List<Attr> kubernetes(PodRef pod) {
        List<Attr> out = new ArrayList<>(3);
        out.add(Attr.of("k8s.pod.name", pod.pod()));
        out.add(Attr.of("k8s.namespace.name", pod.namespace()));
        String kind = switch (pod.workloadKind()) {
            case "Deployment" -> "k8s.deployment.name";
            case "StatefulSet" -> "k8s.statefulset.name";
            case "DaemonSet" -> "k8s.daemonset.name";
            case "ReplicaSet" -> "k8s.replicaset.name";
            case "Job" -> "k8s.job.name";
            case "CronJob" -> "k8s.cronjob.name";
            default -> null;
        };
        if (kind != null) {
            out.add(Attr.of(kind, pod.workloadName()));
        }
        return out;
    }

    private void network(MetricsBuilder m) {
        sensor.network().peers().forEach((k, s) -> {
            String name = sensor.hostnames().nameForSeries(k, k.peerAddress());
            Attr[] peer = process(
                    k.pid(),
                    Attr.of("network.peer.address", k.peerAddress()),
                    Attr.of("network.peer.name", name),
                    Attr.of("server.port", (long) k.port()),
                    Attr.of("nightjar.role", k.role().name().toLowerCase(Locale.ROOT)));
            String c = "nightjar.tcp.connects";
            String d = "TCP connection attempts by outcome";
            m.counter(c, "{connection}", d, s.connectsEstablished(), with(peer, Attr.of("outcome", "established")));
            m.counter(c, "{connection}", d, s.connectsRefused(), with(peer, Attr.of("outcome", "refused")));
            m.counter(c, "{connection}", d, s.connectsTimedOut(), with(peer, Attr.of("outcome", "timeout")));
            m.counter(c, "{connection}", d, s.connectsUnreachable(), with(peer, Attr.of("outcome", "unreachable")));
            m.counter(c, "{connection}", d, s.connectsOtherFailure(), with(peer, Attr.of("outcome", "failed")));
            m.counter("nightjar.tcp.accepts", "{connection}", "TCP connections accepted", s.accepted(), peer);
            m.counter("nightjar.tcp.closes", "{connection}", "TCP connections closed", s.closed(), peer);
            m.counter(
                    "nightjar.tcp.connection.duration",
                    "s",
                    "Total lifetime of closed TCP connections",
                    s.closedDurationNanos() / 1e9,
                    peer);
            String b = "nightjar.tcp.bytes";
            m.counter(b, "By", "TCP payload bytes", s.bytesSent(), with(peer, Attr.of("direction", "sent")));
            m.counter(b, "By", "TCP payload bytes", s.bytesReceived(), with(peer, Attr.of("direction", "received")));
            m.counter("nightjar.tcp.retransmits", "{segment}", "TCP retransmitted segments", s.retransmits(), peer);
            String r = "nightjar.tcp.resets";
            m.counter(r, "{segment}", "TCP resets", s.resetsSent(), with(peer, Attr.of("direction", "sent")));
            m.counter(r, "{segment}", "TCP resets", s.resetsReceived(), with(peer, Attr.of("direction", "received")));
            m.counter(
                    "nightjar.tcp.mid_response_drops",
                    "{connection}",
                    "Connections the peer closed while a request waited for its response",
                    s.midResponseDrops(),
                    peer);
        });
        for (NetworkState.Listener l : sensor.network().listeners()) {
            m.gauge(
                    "nightjar.tcp.listening",
                    "{socket}",
                    "TCP ports a process listens on",
                    1,
                    process(l.pid(), Attr.of("server.address", l.address()), Attr.of("server.port", (long) l.port())));
        }
    }

    private void processes(MetricsBuilder m) {
        for (Map.Entry<ProcessState.ExecutableKey, ProcessState.ExecutableStats> e :
                sensor.processes().executables().entrySet()) {
            List<Attr> attrs = new ArrayList<>(List.of(
                    Attr.of("process.executable.path", e.getKey().executable()),
                    Attr.of("container.id", e.getKey().container())));
            pods.apply(e.getKey().container()).ifPresent(pod -> attrs.addAll(kubernetes(pod)));
            Attr[] a = attrs.toArray(Attr[]::new);
            ProcessState.ExecutableStats s = e.getValue();
            m.counter("nightjar.process.starts", "{process}", "Processes started (exec)", s.starts(), a);
            m.counter("nightjar.process.exits", "{process}", "Processes exited", s.exits(), a);
            m.counter("nightjar.process.failed_exits", "{process}", "Exits with non-zero status", s.failedExits(), a);
            m.counter("nightjar.process.signalled", "{process}", "Processes ended by a signal", s.signalled(), a);
            m.counter("nightjar.process.restarts", "{process}", "Starts after an earlier exit", s.restarts(), a);
        }
        for (Map.Entry<ProcessState.ExitCodeKey, Long> e :
                sensor.processes().exitCodes().entrySet()) {
            ProcessState.ExitCodeKey k = e.getKey();
            List<Attr> attrs = new ArrayList<>(List.of(
                    Attr.of("process.executable.path", k.executable()),
                    Attr.of("container.id", k.container()),
                    Attr.of("process.exit.code", (long) k.status()),
                    Attr.of("process.exit.signal", (long) k.signal())));
            pods.apply(k.container()).ifPresent(pod -> attrs.addAll(kubernetes(pod)));
            m.counter(
                    "nightjar.process.exit_codes",
                    "{process}",
                    "Failed or signalled exits by exit status and signal",
                    e.getValue(),
                    attrs.toArray(Attr[]::new));
        }
    }

    private void dns(MetricsBuilder m) {
        sensor.hostnames().names().forEach((k, s) -> {
            Attr[] a = process(
                    k.pid(), Attr.of("dns.question.name", k.name()), Attr.of("outcome", k.ok() ? "ok" : "error"));
            m.counter("nightjar.dns.requests", "{request}", "getaddrinfo calls", s.requests(), a);
            m.counter("nightjar.dns.duration", "s", "Total getaddrinfo latency", s.latencyNanos() / 1e9, a);
        });
        sensor.dnsQueries().stats().forEach((k, s) -> {
            Attr[] a = process(k.pid(), Attr.of("dns.question.name", k.name()), Attr.of("outcome", k.outcome()));
            m.counter("nightjar.dns.queries", "{query}", "DNS queries seen on UDP port 53", s.queries(), a);
            m.counter(
                    "nightjar.dns.query.duration",
                    "s",
                    "Total time DNS queries waited for their answer (or timeout)",
                    s.latencyNanos() / 1e9,
                    a);
        });
    }

    private void l7(MetricsBuilder m) {
        sensor.l7().stats().forEach((k, s) -> {
            Attr[] a = process(
                    k.pid(),
                    Attr.of("network.protocol.name", k.protocol()),
                    Attr.of("nightjar.role", k.role().name().toLowerCase(Locale.ROOT)),
                    Attr.of("network.peer.address", k.peerAddress()),
                    Attr.of("network.peer.name", sensor.hostnames().nameForSeries(k, k.peerAddress())),
                    Attr.of("server.port", (long) k.port()),
                    Attr.of("nightjar.operation", k.operation()),
                    Attr.of("nightjar.target", k.target()),
                    Attr.of("nightjar.status", k.status()));
            m.counter("nightjar.l7.requests", "{request}", "Application requests", s.count(), a);
            m.counter("nightjar.l7.errors", "{request}", "Application requests that failed", s.errors(), a);
            m.histogram(
                    "nightjar.l7.duration",
                    "s",
                    "Request latency",
                    L7State.BOUNDS,
                    s.bucketCounts(),
                    s.latencySecondsSum(),
                    a);
            if (s.requestBytes() >= 0) {
                m.counter(
                        "nightjar.l7.request.size",
                        "By",
                        "Bytes of requests: request line, headers and body",
                        s.requestBytes(),
                        a);
                m.counter(
                        "nightjar.l7.response.size",
                        "By",
                        "Bytes of responses: status line, headers and body",
                        s.responseBytes(),
                        a);
            }
        });
    }

    private void syscalls(MetricsBuilder m) {
        double[] bounds = SyscallLatency.boundsSeconds();
        for (SyscallLatency s : sensor.syscalls()) {
            m.histogram(
                    "nightjar.syscall.duration",
                    "s",
                    "Syscall latency per process",
                    bounds,
                    s.slots(),
                    s.sumNanos() / 1e9,
                    process(s.pid(), Attr.of("syscall", s.syscall())));
        }
    }

    private void self(MetricsBuilder m) {
        for (FeatureStatus status : sensor.status().values()) {
            m.gauge(
                    "nightjar.sensor.feature",
                    "1",
                    "1 when a sensor feature runs, 0 when it is off",
                    status.on() ? 1 : 0,
                    Attr.of("feature", status.feature().name().toLowerCase(Locale.ROOT)),
                    Attr.of("degraded", status.problems().isEmpty() ? "false" : "true"));
        }
        for (Map.Entry<Feature, Long> drop : sensor.kernelDrops().entrySet()) {
            m.counter(
                    "nightjar.sensor.dropped",
                    "{event}",
                    "Events or batches the sensor dropped",
                    drop.getValue(),
                    Attr.of("reason", "ring_buffer_full"),
                    Attr.of("feature", drop.getKey().name().toLowerCase(Locale.ROOT)));
        }
        m.counter(
                "nightjar.sensor.dropped",
                "{event}",
                "Events or batches the sensor dropped",
                sensor.decodeErrors(),
                Attr.of("reason", "decode_error"));
        m.counter(
                "nightjar.sensor.dropped",
                "{event}",
                "Events or batches the sensor dropped",
                sensor.network().overflowed(),
                Attr.of("reason", "peer_limit"));
        m.counter(
                "nightjar.sensor.dropped",
                "{event}",
                "Events or batches the sensor dropped",
                sensor.dnsQueries().dropped(),
                Attr.of("reason", "dns_unparsed_or_limit"));
        m.counter(
                "nightjar.sensor.dropped",
                "{batch}",
                "Events or batches the sensor dropped",
                exportStats.droppedBatches(),
                Attr.of("reason", "buffer_full"));
        m.counter("nightjar.sensor.export.failures", "{attempt}", "Failed export attempts", exportStats.failures());
        m.gauge(
                "nightjar.sensor.buffer.bytes",
                "By",
                "Bytes waiting in the on-disk buffer",
                exportStats.bufferedBytes());
        m.gauge("nightjar.sensor.memory.rss", "By", "Resident memory of the sensor", ExportStats.residentBytes());
    }

    private static Attr[] with(Attr[] base, Attr extra) {
        Attr[] out = java.util.Arrays.copyOf(base, base.length + 1);
        out[base.length] = extra;
        return out;
    }
}
