package dev.nightjar.sensors;

import dev.nightjar.sensors.ebpf.BpfObject;
import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.sensors.ebpf.MapReader;
import dev.nightjar.sensors.ebpf.RingBufferReader;
import dev.nightjar.sensors.l7.L7Protocols;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The eBPF objects the sensor runs and their ring buffers: loading and attaching one object per
 * feature plus the shared socket data path, and the degradation report of what the kernel
 * refused. Apart from {@link Sensor} so the run loop reads the objects without the loading rules.
 */
final class KernelObjects implements AutoCloseable {

    private final Map<Feature, BpfObject> objects = new EnumMap<>(Feature.class);
    /** Further objects of a feature: L7 drops. */
    private final Map<Feature, BpfObject> extras = new EnumMap<>(Feature.class);
    /** The socket data path (bytes, L7, DNS on the wire) and which of its parts run. */
    private BpfObject socketPath;

    private Set<SocketPath.Part> socketParts = Set.of();
    /** Reads the bytes of open connections (sockbytes.bpf.o), when the bytes part runs. */
    private BpfObject socketBytes;

    private final RingBufferReader rings = new RingBufferReader();
    private final EventHandlers handlers;

    private final L7Protocols protocols;

    KernelObjects(EventHandlers handlers, L7Protocols protocols) {
        this.handlers = handlers;
        this.protocols = protocols;
    }

    /**
     * Starts whatever of {@code wanted} loads and returns each feature's status: on, degraded
     * (with why) or off (with why). Never throws for a piece the kernel refuses.
     */
    Map<Feature, FeatureStatus> start(Set<Feature> wanted) {
        Map<Feature, List<String>> problems = new EnumMap<>(Feature.class);
        Set<Feature> on = EnumSet.noneOf(Feature.class);
        for (Feature feature : wanted) {
            problems.put(feature, new ArrayList<>());
            if (startFeature(feature, problems.get(feature))) {
                on.add(feature);
            }
        }
        startSocketPath(wanted, on, problems);
        Map<Feature, FeatureStatus> status = new EnumMap<>(Feature.class);
        for (Feature feature : wanted) {
            List<String> why = problems.get(feature);
            status.put(
                    feature,
                    on.contains(feature)
                            ? FeatureStatus.on(feature, why)
                            : FeatureStatus.off(feature, String.join("; ", why)));
        }
        return status;
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
        Optional<BpfObject> main = loadAndAttach(feature.objectName(), handlers.forFeature(feature), problems);
        main.ifPresent(o -> objects.put(feature, o));
        if (feature == Feature.NETWORK) {
            main.ifPresent(net -> startSocketBytes(net, problems));
        }
        return main.isPresent();
    }

    /**
     * The socket data path: L7, DNS answers on UDP 53, which cover resolvers that never call
     * getaddrinfo (Go, dig, static binaries), and with L7 the learning of connections opened before
     * the sensor on their first byte (needs the network object's maps; L7 looks the socket's storage
     * up anyway, so it costs nothing more there, while on its own it would put work on every TCP
     * send and receive: without L7 such connections are learned when their owner closes them). A
     * part the kernel refuses is reported against its feature; the others run.
     */
    private void startSocketPath(Set<Feature> wanted, Set<Feature> on, Map<Feature, List<String>> problems) {
        Set<SocketPath.Part> parts = EnumSet.noneOf(SocketPath.Part.class);
        BpfObject net = objects.get(Feature.NETWORK);
        if (wanted.contains(Feature.L7)) {
            parts.add(SocketPath.Part.L7);
            if (net != null) {
                parts.add(SocketPath.Part.LEARN);
            }
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
            loaded = SocketPath.load(resource(SocketPath.OBJECT), parts, protocols, netMaps, refused);
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
        if (!attach(object, handlers.socketEvents(), attachProblems)) {
            loaded.get().parts().forEach(part -> problems.get(part.feature).addAll(attachProblems));
            return;
        }
        loaded.get().parts().forEach(part -> {
            problems.get(part.feature).addAll(attachProblems);
            on.add(part.feature);
        });
        socketPath = object;
        socketParts = loaded.get().parts();
        if (socketParts.contains(SocketPath.Part.L7)) {
            startDrops(object, problems.get(Feature.L7));
        }
    }

    /**
     * The iterator that reads the bytes of open connections from the kernel's per-socket counters,
     * walking the sockets the network object tracks (closes report their own).
     */
    private void startSocketBytes(BpfObject net, List<String> problems) {
        try {
            BpfObject iterator = BpfObject.load(SocketBytes.OBJECT, resource(SocketBytes.OBJECT));
            try {
                iterator.attachIterator(SocketBytes.PROGRAM, net.mapFd("sock_state"));
            } catch (RuntimeException e) {
                iterator.close();
                throw e;
            }
            socketBytes = iterator;
        } catch (RuntimeException | IOException e) {
            problems.add("bytes of open connections off (closed ones still counted): " + e.getMessage());
        }
    }

    /**
     * Mid-response drops read the request in flight kept by the L7 part and the connection owners
     * kept by network: the drops object is loaded onto those maps, so it needs both features. It
     * also ends the loopback pairing entries (bpf/src/loopback.h) of the connections that close.
     */
    private void startDrops(BpfObject l7Object, List<String> problems) {
        BpfObject net = objects.get(Feature.NETWORK);
        if (net == null) {
            problems.add("mid-response drops need the network feature");
            return;
        }
        Map<String, Integer> shared = Map.of(
                "sock_state", l7Object.mapFd("sock_state"),
                "loop_pairs", l7Object.mapFd("loop_pairs"),
                "conns", net.mapFd("conns"),
                "closed_recently", net.mapFd("closed_recently"));
        loadAndAttach("drops", shared, handlers.drops(), problems).ifPresent(o -> extras.put(Feature.L7, o));
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

    private static byte[] resource(String object) throws IOException {
        String resource = Feature.resource(object);
        try (InputStream in = KernelObjects.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not in the sensor jar (build bpf/ first)");
            }
            return in.readAllBytes();
        }
    }

    /** True when nothing loaded, so the run loop has no ring buffer to wait on. */
    boolean isEmpty() {
        return objects.isEmpty() && extras.isEmpty() && socketPath == null;
    }

    /** A feature's own object, or null when it does not run. */
    BpfObject feature(Feature feature) {
        return objects.get(feature);
    }

    /** The socket data path's object, or null when none of its parts run. */
    BpfObject socketPath() {
        return socketPath;
    }

    Set<SocketPath.Part> socketParts() {
        return socketParts;
    }

    /** The socket-storage iterator, or null when the bytes of open connections are not read. */
    BpfObject socketBytes() {
        return socketBytes;
    }

    RingBufferReader rings() {
        return rings;
    }

    /** Events the kernel side could not hand over (ring buffer full), per feature. */
    Map<Feature, Long> kernelDrops() {
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

    /** Ring buffers first, so no upcall runs while its object closes. */
    @Override
    public void close() {
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
