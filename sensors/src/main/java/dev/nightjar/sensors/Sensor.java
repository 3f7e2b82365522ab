package dev.nightjar.sensors;

import dev.nightjar.sensors.ebpf.BpfObject;
import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.sensors.ebpf.MapReader;
import dev.nightjar.sensors.event.ConnectionEntry;
import dev.nightjar.sensors.event.SyscallLatency;
import dev.nightjar.sensors.l7.L7Protocols;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node sensor's kernel side and its aggregated state: loads one eBPF object per feature
 * ({@link KernelObjects}), drains their ring buffers on one thread and keeps the counters the
 * exporter reads. A feature that cannot load is reported and left off; the others keep running.
 */
public final class Sensor implements AutoCloseable {

    /**
     * Between exports, which read the kernel's maps themselves ({@link #refresh()}): a scan walks
     * every open connection with a few syscalls each, and the exports need no fresher state.
     */
    private static final long LIVE_SCAN_NANOS = 5_000_000_000L;

    private final NetworkState network = new NetworkState();
    private final ProcessState processes = new ProcessState();
    private final HostnameCache hostnames = new HostnameCache();
    private final DnsQueries dnsQueries = new DnsQueries(hostnames, DnsQueries.DEFAULT_TIMEOUT_NANOS);
    private final L7Protocols protocols = L7Protocols.standard();
    private final L7State l7 = new L7State(protocols);
    private final Map<Feature, FeatureStatus> status = new EnumMap<>(Feature.class);
    private final EventHandlers handlers = new EventHandlers(network, processes, hostnames, dnsQueries, l7);
    private final KernelObjects objects = new KernelObjects(handlers, protocols);
    private final Kernel kernel;
    private volatile List<SyscallLatency> syscalls = List.of();
    private volatile boolean running;
    private Thread poller;

    private Sensor(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Starts whatever of {@code wanted} this host allows; never throws for a missing piece. */
    public static Sensor start(Set<Feature> wanted) {
        Kernel kernel = Kernel.probe();
        Sensor sensor = new Sensor(kernel);
        if (!kernel.canLoad()) {
            String reason = String.join("; ", kernel.missing());
            wanted.forEach(f -> sensor.status.put(f, FeatureStatus.off(f, reason)));
            return sensor;
        }
        sensor.status.putAll(sensor.objects.start(wanted));
        if (sensor.objects.feature(Feature.NETWORK) != null) {
            // After attaching, so a listen() in between is seen by one side or the other.
            List<NetworkState.Listener> existing = ProcNetListeners.scan(java.nio.file.Path.of("/proc"));
            sensor.network.seedListeners(existing);
            // The kernel's listener map too: a connection accepted on such a socket counts against
            // its owner (not pid 0) and is known as a server's.
            int listenerMap = sensor.objects.feature(Feature.NETWORK).mapFd("listeners");
            existing.forEach(l -> MapReader.putIfAbsent(listenerMap, (short) l.port(), l.pid()));
        }
        sensor.running = true;
        sensor.poller = Thread.ofPlatform().daemon().name("nightjar-sensor").start(sensor::pollLoop);
        return sensor;
    }

    private void pollLoop() {
        long nextScan = 0;
        while (running) {
            if (objects.isEmpty()) {
                sleepQuietly();
                continue;
            }
            objects.rings().pollOnce(100);
            long now = System.nanoTime();
            if (now - nextScan >= 0) {
                scanKernelMaps();
                nextScan = now + LIVE_SCAN_NANOS;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads bytes of open connections now instead of waiting for the next periodic scan. */
    public void refresh() {
        objects.rings().pollOnce(0);
        scanKernelMaps();
    }

    private synchronized void scanKernelMaps() {
        dnsQueries.expire(System.nanoTime()); // CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns
        BpfObject net = objects.feature(Feature.NETWORK);
        if (net != null) {
            List<ConnectionEntry> entries = new ArrayList<>();
            MapReader.forEach(
                    net.mapFd("conns"),
                    ConnectionEntry.KEY_SIZE,
                    ConnectionEntry.VALUE_SIZE,
                    (k, v) -> entries.add(ConnectionEntry.decode(k, v)));
            // After the connections, so every connection read has its bytes up to now.
            BpfObject socketBytes = objects.socketBytes();
            network.onLiveConnections(socketBytes == null ? entries : SocketBytes.read(socketBytes, entries));
        }
        if (objects.socketParts().contains(SocketPath.Part.L7)) {
            l7.onHttpAggregates(HttpCounters.read(
                    objects.socketPath().mapFd("http_keys"),
                    objects.socketPath().mapFd("http_values")));
        }
        BpfObject syscallObject = objects.feature(Feature.SYSCALLS);
        if (syscallObject != null) {
            List<SyscallLatency> read = new ArrayList<>();
            MapReader.forEach(
                    syscallObject.mapFd("syscall_hists"),
                    SyscallLatency.KEY_SIZE,
                    SyscallLatency.VALUE_SIZE,
                    (k, v) -> read.add(SyscallLatency.decode(k, v)));
            syscalls = List.copyOf(read);
        }
    }

    /** Events the kernel side could not hand over (ring buffer full), per feature. */
    public Map<Feature, Long> kernelDrops() {
        return objects.kernelDrops();
    }

    public long decodeErrors() {
        return handlers.decodeErrors() + objects.rings().handlerErrors();
    }

    public Map<Feature, FeatureStatus> status() {
        return java.util.Collections.unmodifiableMap(new EnumMap<>(status));
    }

    public Kernel kernel() {
        return kernel;
    }

    public NetworkState network() {
        return network;
    }

    public ProcessState processes() {
        return processes;
    }

    public HostnameCache hostnames() {
        return hostnames;
    }

    /** DNS queries seen on UDP port 53, with outcome and latency. */
    public DnsQueries dnsQueries() {
        return dnsQueries;
    }

    /** Per process and syscall latency histograms, cumulative (empty unless SYSCALLS runs). */
    public List<SyscallLatency> syscalls() {
        return syscalls;
    }

    public L7State l7() {
        return l7;
    }

    /** A loopback connection whose client counts the server's end too (bpf/src/loopback.h). */
    record LoopbackPair(int clientPid, int serverPid, int clientPort, int serverPort) {}

    /**
     * The loopback connections entered in the kernel's pairing table: a server pid of 0 is one
     * whose server still parses its own end (it has not found the entry, or never will).
     */
    List<LoopbackPair> loopbackPairs() {
        BpfObject path = objects.socketPath();
        if (path == null || !objects.socketParts().contains(SocketPath.Part.L7)) {
            return List.of();
        }
        List<LoopbackPair> pairs = new ArrayList<>();
        MapReader.forEach(
                path.mapFd("loop_pairs"),
                LOOP_KEY_SIZE,
                16,
                (key, value) -> pairs.add(new LoopbackPair(
                        value.get(ValueLayout.JAVA_INT, 0),
                        value.get(ValueLayout.JAVA_INT, 4),
                        Short.toUnsignedInt(key.get(ValueLayout.JAVA_SHORT, 32)),
                        Short.toUnsignedInt(key.get(ValueLayout.JAVA_SHORT, 34)))));
        return pairs;
    }

    /** sizeof(struct loop_key), bpf/src/loopback.h. */
    private static final long LOOP_KEY_SIZE = 48;

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            try {
                poller.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        objects.close();
    }
}
