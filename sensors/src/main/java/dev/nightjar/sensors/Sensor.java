package dev.nightjar.sensors;

import dev.nightjar.sensors.ebpf.BpfObject;
import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.sensors.ebpf.MapReader;
import dev.nightjar.sensors.ebpf.RingBufferReader;
import dev.nightjar.sensors.event.ConnectionEntry;
import dev.nightjar.sensors.event.DnsEvent;
import dev.nightjar.sensors.event.DnsPacket;
import dev.nightjar.sensors.event.DropEvent;
import dev.nightjar.sensors.event.EventType;
import dev.nightjar.sensors.event.HttpAggregate;
import dev.nightjar.sensors.event.HttpSpanEvent;
import dev.nightjar.sensors.event.L7Event;
import dev.nightjar.sensors.event.ProcEvent;
import dev.nightjar.sensors.event.SyscallLatency;
import dev.nightjar.sensors.event.TcpEvent;
import dev.nightjar.sensors.l7.HttpParser;
import dev.nightjar.sensors.l7.PostgresParser;
import dev.nightjar.sensors.l7.RedisParser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The node sensor's kernel side and its aggregated state: loads one eBPF object per feature,
 * drains their ring buffers on one thread and keeps the counters the exporter reads. A
 * feature that cannot load is reported and left off; the others keep running.
 */
public final class Sensor implements AutoCloseable {

    private static final long LIVE_SCAN_NANOS = 1_000_000_000L;

    private final NetworkState network = new NetworkState();
    private final ProcessState processes = new ProcessState();
    private final HostnameCache hostnames = new HostnameCache();
    private final DnsQueries dnsQueries = new DnsQueries(hostnames, DnsQueries.DEFAULT_TIMEOUT_NANOS);
    private final L7State l7 = new L7State(List.of(new HttpParser(), new RedisParser(), new PostgresParser()));
    private final Map<Feature, FeatureStatus> status = new EnumMap<>(Feature.class);
    private final Map<Feature, BpfObject> objects = new EnumMap<>(Feature.class);
    /** Further objects of a feature: L7 drops. */
    private final Map<Feature, BpfObject> extras = new EnumMap<>(Feature.class);
    /** The socket data path (bytes, L7, DNS on the wire) and which of its parts run. */
    private BpfObject socketPath;

    private Set<SocketPath.Part> socketParts = Set.of();
    /** Reads the bytes of open connections (sockbytes.bpf.o), when the bytes part runs. */
    private BpfObject socketBytes;

    private final RingBufferReader rings = new RingBufferReader();
    private final AtomicLong decodeErrors = new AtomicLong();
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
        Map<Feature, List<String>> problems = new EnumMap<>(Feature.class);
        Set<Feature> on = EnumSet.noneOf(Feature.class);
        for (Feature feature : wanted) {
            problems.put(feature, new ArrayList<>());
            if (sensor.startFeature(feature, problems.get(feature))) {
                on.add(feature);
            }
        }
        sensor.startSocketPath(wanted, on, problems);
        for (Feature feature : wanted) {
            List<String> why = problems.get(feature);
            sensor.status.put(
                    feature,
                    on.contains(feature)
                            ? FeatureStatus.on(feature, why)
                            : FeatureStatus.off(feature, String.join("; ", why)));
        }
        if (sensor.objects.containsKey(Feature.NETWORK)) {
            // After attaching, so a listen() in between is seen by one side or the other.
            sensor.network.seedListeners(ProcNetListeners.scan(java.nio.file.Path.of("/proc")));
        }
        sensor.running = true;
        sensor.poller = Thread.ofPlatform().daemon().name("nightjar-sensor").start(sensor::pollLoop);
        return sensor;
    }

    /** Loads a feature's own object; L7 has none (its programs are the socket path's). */
    private boolean startFeature(Feature feature, List<String> problems) {
        if (feature == Feature.L7) {
            return false;
        }
        if (feature == Feature.SYSCALLS && !Kernel.ensureTracefs()) {
            problems.add("tracefs is not mounted at /sys/kernel/tracing and could not be mounted");
            return false;
        }
        Optional<BpfObject> main = loadAndAttach(feature.objectName(), handler(feature), problems);
        main.ifPresent(o -> objects.put(feature, o));
        return main.isPresent();
    }

    /**
     * The socket data path: exact bytes (needs the network object's connection map), L7, and DNS
     * answers on UDP 53, which cover resolvers that never call getaddrinfo (Go, dig, static
     * binaries). A part the kernel refuses is reported against its feature; the others run.
     */
    private void startSocketPath(Set<Feature> wanted, Set<Feature> on, Map<Feature, List<String>> problems) {
        Set<SocketPath.Part> parts = EnumSet.noneOf(SocketPath.Part.class);
        BpfObject net = objects.get(Feature.NETWORK);
        if (net != null) {
            parts.add(SocketPath.Part.BYTES);
        }
        if (wanted.contains(Feature.L7)) {
            parts.add(SocketPath.Part.L7);
        }
        if (wanted.contains(Feature.DNS)) {
            parts.add(SocketPath.Part.DNS);
        }
        if (parts.isEmpty()) {
            return;
        }
        Map<SocketPath.Part, String> refused = new EnumMap<>(SocketPath.Part.class);
        Optional<SocketPath.Loaded> loaded;
        try {
            Map<String, Integer> netMaps =
                    net == null ? Map.of() : Map.of("conns", net.mapFd("conns"), "sock_state", net.mapFd("sock_state"));
            loaded = SocketPath.load(resource(SocketPath.OBJECT), parts, netMaps, refused);
        } catch (IOException e) {
            parts.forEach(part -> refused.put(part, e.getMessage()));
            loaded = Optional.empty();
        }
        refused.forEach((part, why) -> problems.get(part.feature).add(part.description + " off: " + why));
        if (loaded.isEmpty()) {
            return;
        }
        BpfObject object = loaded.get().object();
        List<String> attachProblems = new ArrayList<>();
        if (!attach(object, socketEvents(), attachProblems)) {
            loaded.get().parts().forEach(part -> problems.get(part.feature).addAll(attachProblems));
            return;
        }
        loaded.get().parts().forEach(part -> {
            problems.get(part.feature).addAll(attachProblems);
            on.add(part.feature);
        });
        socketPath = object;
        socketParts = loaded.get().parts();
        if (socketParts.contains(SocketPath.Part.BYTES)) {
            startSocketBytes(problems.get(Feature.NETWORK));
        }
        if (socketParts.contains(SocketPath.Part.L7)) {
            startDrops(object, problems.get(Feature.L7));
        }
    }

    /** The iterator that reads the bytes of open connections from socket storage (closes report their own). */
    private void startSocketBytes(List<String> problems) {
        try {
            BpfObject iterator = BpfObject.load(SocketBytes.OBJECT, resource(SocketBytes.OBJECT));
            try {
                iterator.attachIterator(SocketBytes.PROGRAM, socketPath.mapFd("sock_state"));
            } catch (RuntimeException e) {
                iterator.close();
                throw e;
            }
            socketBytes = iterator;
        } catch (RuntimeException | IOException e) {
            problems.add("bytes of open connections off (closed ones still counted): " + e.getMessage());
        }
    }

    /** L7 events and DNS packets share the socket path's ring buffer; their type tells them apart. */
    private Consumer<MemorySegment> socketEvents() {
        Consumer<MemorySegment> dns = decoding(DnsPacket::decode, dnsQueries::onPacket);
        Consumer<MemorySegment> span = decoding(HttpSpanEvent::decode, l7::onHttpSpan);
        Consumer<MemorySegment> other = decoding(L7Event::decode, l7::onEvent);
        return segment -> {
            int type = segment.byteSize() >= 4 ? segment.get(ValueLayout.JAVA_INT, 0) : -1;
            if (type == DnsPacket.QUERY || type == DnsPacket.ANSWER) {
                dns.accept(segment);
            } else if (type == EventType.L7_HTTP_SPAN) {
                span.accept(segment);
            } else {
                other.accept(segment);
            }
        };
    }

    /**
     * Mid-response drops read the request in flight kept by the L7 part and the connection owners
     * kept by network: the drops object is loaded onto those two maps, so it needs both features.
     */
    private void startDrops(BpfObject l7Object, List<String> problems) {
        BpfObject net = objects.get(Feature.NETWORK);
        if (net == null) {
            problems.add("mid-response drops need the network feature");
            return;
        }
        Map<String, Integer> shared = Map.of(
                "sock_state", l7Object.mapFd("sock_state"),
                "conns", net.mapFd("conns"),
                "closed_recently", net.mapFd("closed_recently"));
        loadAndAttach("drops", shared, decoding(DropEvent::decode, network::onMidResponseDrop), problems)
                .ifPresent(o -> extras.put(Feature.L7, o));
    }

    private Optional<BpfObject> loadAndAttach(String name, Consumer<MemorySegment> handler, List<String> problems) {
        return loadAndAttach(name, Map.of(), handler, problems);
    }

    /** Loads one object, attaches what it can and registers its ring buffer; problems are collected. */
    private Optional<BpfObject> loadAndAttach(
            String name, Map<String, Integer> sharedMaps, Consumer<MemorySegment> handler, List<String> problems) {
        BpfObject object;
        try {
            object = BpfObject.load(name, resource(name), sharedMaps);
        } catch (RuntimeException | IOException e) {
            problems.add(name + " load failed: " + e.getMessage());
            return Optional.empty();
        }
        return attach(object, handler, problems) ? Optional.of(object) : Optional.empty();
    }

    /** Attaches what it can and registers the ring buffer; false (object closed) when nothing runs. */
    private boolean attach(BpfObject object, Consumer<MemorySegment> handler, List<String> problems) {
        List<String> attached = object.attachAll();
        object.failedPrograms().forEach((program, why) -> problems.add(program + " not attached: " + why));
        if (attached.isEmpty()) {
            object.close();
            return false;
        }
        try {
            rings.add(object.mapFd("events"), handler);
        } catch (RuntimeException e) {
            object.close();
            problems.add(object.name() + " ring buffer: " + e.getMessage());
            return false;
        }
        return true;
    }

    private Consumer<MemorySegment> handler(Feature feature) {
        return switch (feature) {
            case NETWORK -> decoding(TcpEvent::decode, network::onEvent);
            case PROCESS -> decoding(ProcEvent::decode, processes::onEvent);
            case DNS -> decoding(DnsEvent::decode, hostnames::onEvent);
            // L7 has no object of its own (socketEvents); syscalls are aggregated in the kernel.
            case L7, SYSCALLS -> segment -> {};
        };
    }

    private <T> Consumer<MemorySegment> decoding(Function<MemorySegment, T> decode, Consumer<T> sink) {
        return segment -> {
            try {
                sink.accept(decode.apply(segment));
            } catch (RuntimeException e) {
                decodeErrors.incrementAndGet();
            }
        };
    }

    private static byte[] resource(String object) throws IOException {
        String resource = Feature.resource(object);
        try (InputStream in = Sensor.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not in the sensor jar (build bpf/ first)");
            }
            return in.readAllBytes();
        }
    }

    private void pollLoop() {
        long nextScan = 0;
        while (running) {
            if (objects.isEmpty() && extras.isEmpty() && socketPath == null) {
                sleepQuietly();
                continue;
            }
            rings.pollOnce(100);
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
        rings.pollOnce(0);
        scanKernelMaps();
    }

    private synchronized void scanKernelMaps() {
        dnsQueries.expire(System.nanoTime()); // CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns
        BpfObject net = objects.get(Feature.NETWORK);
        if (net != null) {
            List<ConnectionEntry> entries = new ArrayList<>();
            MapReader.forEach(
                    net.mapFd("conns"),
                    ConnectionEntry.KEY_SIZE,
                    ConnectionEntry.VALUE_SIZE,
                    (k, v) -> entries.add(ConnectionEntry.decode(k, v)));
            // After the connections, so every connection read has its bytes up to now.
            network.onLiveConnections(socketBytes == null ? entries : SocketBytes.read(socketBytes, entries));
        }
        if (socketParts.contains(SocketPath.Part.L7)) {
            List<HttpAggregate> http = new ArrayList<>();
            MapReader.forEach(
                    socketPath.mapFd("http_stats"),
                    HttpAggregate.KEY_SIZE,
                    HttpAggregate.VALUE_SIZE,
                    (k, v) -> http.add(HttpAggregate.decode(k, v)));
            l7.onHttpAggregates(http);
        }
        BpfObject syscallObject = objects.get(Feature.SYSCALLS);
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
        Map<Feature, Long> drops = new EnumMap<>(Feature.class);
        objects.forEach((feature, object) -> drops.put(feature, MapReader.readCounter(object.mapFd("dropped"))));
        extras.forEach(
                (feature, object) -> drops.merge(feature, MapReader.readCounter(object.mapFd("dropped")), Long::sum));
        if (socketPath != null) {
            // Nearly all of the socket path's events are L7's.
            Feature owner = socketParts.contains(SocketPath.Part.L7) ? Feature.L7 : Feature.DNS;
            drops.merge(owner, MapReader.readCounter(socketPath.mapFd("dropped")), Long::sum);
        }
        return drops;
    }

    public long decodeErrors() {
        return decodeErrors.get() + rings.handlerErrors();
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
        rings.close();
        objects.values().forEach(BpfObject::close);
        objects.clear();
        extras.values().forEach(BpfObject::close);
        extras.clear();
        if (socketBytes != null) {
            socketBytes.close();
            socketBytes = null;
        }
        if (socketPath != null) {
            socketPath.close();
            socketPath = null;
        }
    }
}
