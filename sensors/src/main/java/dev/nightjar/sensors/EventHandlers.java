package dev.nightjar.sensors;

import dev.nightjar.sensors.event.DnsEvent;
import dev.nightjar.sensors.event.DnsPacket;
import dev.nightjar.sensors.event.DropEvent;
import dev.nightjar.sensors.event.EventType;
import dev.nightjar.sensors.event.HttpSpanEvent;
import dev.nightjar.sensors.event.L7Event;
import dev.nightjar.sensors.event.ProcEvent;
import dev.nightjar.sensors.event.TcpEvent;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where each ring buffer's records go: decodes them into the sensor's aggregation state. Kept
 * apart from the loading so the objects know nothing of the state they feed, and a record that
 * fails to decode is counted here instead of stopping the drain.
 */
final class EventHandlers {

    private final NetworkState network;
    private final ProcessState processes;
    private final HostnameCache hostnames;
    private final DnsQueries dnsQueries;
    private final L7State l7;
    private static final int MAX_FAILURE_KINDS = 64;
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final AtomicLong decodeErrors = new AtomicLong();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    EventHandlers(
            NetworkState network, ProcessState processes, HostnameCache hostnames, DnsQueries dnsQueries, L7State l7) {
        this.network = network;
        this.processes = processes;
        this.hostnames = hostnames;
        this.dnsQueries = dnsQueries;
        this.l7 = l7;
    }

    /** The handler of a feature's own object. */
    Consumer<MemorySegment> forFeature(Feature feature) {
        return switch (feature) {
            case NETWORK -> decoding("tcp", TcpEvent::decode, network::onEvent);
            case PROCESS -> decoding("process", ProcEvent::decode, processes::onEvent);
            case DNS -> decoding("getaddrinfo", DnsEvent::decode, hostnames::onEvent);
            // L7 has no object of its own (socketEvents); syscalls are aggregated in the kernel.
            case L7, SYSCALLS -> segment -> {};
        };
    }

    /** L7 events and DNS packets share the socket path's ring buffer; their type tells them apart. */
    Consumer<MemorySegment> socketEvents() {
        Consumer<MemorySegment> dns = decoding("dns packet", DnsPacket::decode, dnsQueries::onPacket);
        Consumer<MemorySegment> span = decoding("http span", HttpSpanEvent::decode, l7::onHttpSpan);
        Consumer<MemorySegment> other = decoding("l7", L7Event::decode, l7::onEvent);
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

    /** Mid-response drops, counted against the connection they ended. */
    Consumer<MemorySegment> drops() {
        return decoding("drop", DropEvent::decode, network::onMidResponseDrop);
    }

    long decodeErrors() {
        return decodeErrors.get();
    }

    /** Records that failed, per kind and type (bounded), for tests and the log. */
    Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((kind, f) -> out.put(kind, f.count.get()));
        return out;
    }

    private <T> Consumer<MemorySegment> decoding(String kind, Function<MemorySegment, T> decode, Consumer<T> sink) {
        return segment -> {
            try {
                sink.accept(decode.apply(segment));
            } catch (RuntimeException e) {
                decodeErrors.incrementAndGet();
                failed(kind, segment, e);
            }
        };
    }

    /**
     * Says which records fail, once per kind and type and then at most once a minute each (with the
     * count meanwhile): a counter alone does not tell which decoder or state rejects what.
     */
    private void failed(String kind, MemorySegment segment, RuntimeException e) {
        int type = segment.byteSize() >= 4 ? segment.get(ValueLayout.JAVA_INT, 0) : -1;
        String key = kind + " type " + type;
        Failure f = failures.get(key);
        if (f == null) {
            if (failures.size() >= MAX_FAILURE_KINDS) {
                return;
            }
            f = failures.computeIfAbsent(key, k -> new Failure());
        }
        long n = f.count.incrementAndGet();
        long now = System.nanoTime();
        long last = f.loggedAt;
        if (n == 1 || now - last >= LOG_EVERY_NANOS) {
            f.loggedAt = now;
            System.err.println("nightjar-sensor: a " + kind + " record (type " + type + ", " + segment.byteSize()
                    + " bytes) did not decode (" + n + " so far): " + e);
        }
    }

    private static final class Failure {
        final AtomicLong count = new AtomicLong();
        volatile long loggedAt;
    }
}
