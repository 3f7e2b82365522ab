package dev.nightjar.sensors;

import dev.nightjar.sensors.dns.DnsMessage;
import dev.nightjar.sensors.event.DnsPacket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DNS queries seen on UDP port 53, paired with their answers by (process, socket, message id):
 * latency and outcome (ok, nxdomain, servfail, refused, error, timeout) per process and name.
 * Answers also name addresses in the {@link HostnameCache}, so destinations carry names for
 * processes that never call getaddrinfo. Bounded: pending queries and keys have caps.
 */
public final class DnsQueries {

    public record QueryKey(int pid, String name, String outcome) {}

    public record QueryStats(long queries, long latencyNanos) {}

    private record Pending(int pid, long socket, int id) {}

    private record Asked(String name, long sentNanos) {}

    /** Resolvers retry after 5 s (glibc's default timeout); unanswered by then is a timeout. */
    static final long DEFAULT_TIMEOUT_NANOS = 5_000_000_000L;

    private static final int MAX_PENDING = 8_192;
    private static final int MAX_KEYS = 10_000;

    private final HostnameCache hostnames;
    private final long timeoutNanos;
    private final LinkedHashMap<Pending, Asked> pending = new LinkedHashMap<>();
    private final Map<QueryKey, long[]> stats = new HashMap<>();
    private long unparsed;
    private long overflowed;

    DnsQueries(HostnameCache hostnames, long timeoutNanos) {
        this.hostnames = hostnames;
        this.timeoutNanos = timeoutNanos;
    }

    synchronized void onPacket(DnsPacket packet) {
        var parsed = DnsMessage.parse(packet.payload());
        if (parsed.isEmpty() || parsed.get().name().isEmpty()) {
            unparsed++;
            return;
        }
        DnsMessage m = parsed.get();
        Pending key = new Pending(packet.pid(), packet.socket(), m.id());
        if (packet.query()) {
            if (m.response()) {
                return; // a server answering on port 53 is not a client's query
            }
            if (pending.size() >= MAX_PENDING) {
                overflowed++;
                return;
            }
            pending.putIfAbsent(key, new Asked(m.name(), packet.timestampNanos()));
            return;
        }
        if (!m.response()) {
            return;
        }
        Asked asked = pending.remove(key);
        for (InetAddress address : m.addresses()) {
            hostnames.learn(address.getHostAddress(), m.name());
        }
        if (asked == null || !asked.name().equals(m.name())) {
            return; // an answer to a query sent before the sensor started, or a retry already counted
        }
        count(
                new QueryKey(packet.pid(), m.name(), DnsMessage.outcome(m.rcode())),
                packet.timestampNanos() - asked.sentNanos());
    }

    /** Counts queries left unanswered for longer than the timeout, as of {@code nowNanos}. */
    synchronized void expire(long nowNanos) {
        Iterator<Map.Entry<Pending, Asked>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Pending, Asked> e = it.next();
            long waited = nowNanos - e.getValue().sentNanos();
            if (waited < timeoutNanos) {
                break; // insertion order is send order
            }
            it.remove();
            count(new QueryKey(e.getKey().pid(), e.getValue().name(), "timeout"), waited);
        }
    }

    private void count(QueryKey key, long latencyNanos) {
        long[] c = stats.get(key);
        if (c == null) {
            if (stats.size() >= MAX_KEYS) {
                overflowed++;
                return;
            }
            c = new long[2];
            stats.put(key, c);
        }
        c[0]++;
        c[1] += Math.max(latencyNanos, 0);
    }

    public synchronized Map<QueryKey, QueryStats> stats() {
        Map<QueryKey, QueryStats> out = new HashMap<>();
        stats.forEach((k, c) -> out.put(k, new QueryStats(c[0], c[1])));
        return out;
    }

    /** Messages that were not DNS (or not parseable) and queries over the caps. */
    public synchronized long dropped() {
        return unparsed + overflowed;
    }
}
