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
    /** Further objects of a feature: DNS on the wire (beside the getaddrinfo uprobes), L7 drops. */
    private final Map<Feature, BpfObject> extras = new EnumMap<>(Feature.class);

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
        for (Feature feature : wanted) {
            sensor.status.put(feature, sensor.startFeature(feature));
        }
        if (sensor.objects.containsKey(Feature.NETWORK)) {
            // After attaching, so a listen() in between is seen by one side or the other.
            sensor.network.seedListeners(ProcNetListeners.scan(java.nio.file.Path.of("/proc")));
        }
        sensor.running = true;
        sensor.poller = Thread.ofPlatform().daemon().name("nightjar-sensor").start(sensor::pollLoop);
        return sensor;
    }

    private FeatureStatus startFeature(Feature feature) {
        if (feature == Feature.SYSCALLS && !Kernel.ensureTracefs()) {
            return FeatureStatus.off(feature, "tracefs is not mounted at /sys/kernel/tracing and could not be mounted");
        }
        List<String> problems = new ArrayList<>();
        Optional<BpfObject> main = loadAndAttach(feature.objectName(), handler(feature), problems);
        main.ifPresent(o -> objects.put(feature, o));
        boolean on = main.isPresent();
        if (feature == Feature.DNS) {
            // Answers on UDP 53 cover resolvers that never call getaddrinfo (Go, dig, static binaries).
            Optional<BpfObject> udp =
                    loadAndAttach("dns_udp", decoding(DnsPacket::decode, dnsQueries::onPacket), problems);
            udp.ifPresent(o -> extras.put(feature, o));
            on |= udp.isPresent();
        }
        if (feature == Feature.L7 && main.isPresent()) {
            startDrops(main.get(), problems);
        }
        return on ? FeatureStatus.on(feature, problems) : FeatureStatus.off(feature, String.join("; ", problems));
    }

    /**
     * Mid-response drops read the request in flight kept by l7 and the connection owners kept by
     * network: the drops object is loaded onto those two maps, so it needs both features.
     */
    private void startDrops(BpfObject l7Object, List<String> problems) {
        BpfObject net = objects.get(Feature.NETWORK);
        if (net == null) {
            problems.add("mid-response drops need the network feature");
            return;
        }
        Map<String, Integer> shared = Map.of(
                "inflight", l7Object.mapFd("inflight"),
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
        List<String> attached = object.attachAll();
        object.failedPrograms().forEach((program, why) -> problems.add(program + " not attached: " + why));
        if (attached.isEmpty()) {
            object.close();
            return Optional.empty();
        }
        try {
            rings.add(object.mapFd("events"), handler);
        } catch (RuntimeException e) {
            object.close();
            problems.add(name + " ring buffer: " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(object);
    }

    private Consumer<MemorySegment> handler(Feature feature) {
        return switch (feature) {
            case NETWORK -> decoding(TcpEvent::decode, network::onEvent);
            case PROCESS -> decoding(ProcEvent::decode, processes::onEvent);
            case DNS -> decoding(DnsEvent::decode, hostnames::onEvent);
            case L7 ->
                segment -> {
                    if (segment.byteSize() >= 4 && segment.get(ValueLayout.JAVA_INT, 0) == EventType.L7_HTTP_SPAN) {
                        decoding(HttpSpanEvent::decode, l7::onHttpSpan).accept(segment);
                    } else {
                        decoding(L7Event::decode, l7::onEvent).accept(segment);
                    }
                };
            case SYSCALLS -> segment -> {}; // aggregated in the kernel, read from syscall_hists
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
            if (objects.isEmpty() && extras.isEmpty()) {
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
            network.onLiveConnections(entries);
        }
        BpfObject l7Object = objects.get(Feature.L7);
        if (l7Object != null) {
            List<HttpAggregate> http = new ArrayList<>();
            MapReader.forEach(
                    l7Object.mapFd("http_stats"),
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
    }
}
