package dev.nightjar.sensors;

import dev.nightjar.sensors.event.DnsEvent;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Names that processes resolved through getaddrinfo, by address; plus resolution counts per name. */
public final class HostnameCache {

    public record NameKey(int pid, String name, boolean ok) {}

    public record NameStats(long requests, long latencyNanos) {}

    private static final int MAX_ADDRESSES = 20_000;
    private static final int MAX_NAMES = 10_000;
    private static final int MAX_SERIES_NAMES = 100_000;

    private final Map<String, String> byAddress = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };
    private final Map<NameKey, long[]> names = new HashMap<>();
    private final Map<Object, String> seriesNames = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, String> eldest) {
            return size() > MAX_SERIES_NAMES;
        }
    };

    synchronized void onEvent(DnsEvent e) {
        String name = e.name();
        if (name.isEmpty() || name.length() > 253) {
            return;
        }
        for (InetAddress address : e.addresses()) {
            // A literal address "resolves" to itself: it names nothing.
            if (!address.getHostAddress().equals(name)) {
                byAddress.put(address.getHostAddress(), name);
            }
        }
        NameKey key = new NameKey(e.pid(), name, e.result() == 0);
        long[] c = names.get(key);
        if (c == null && names.size() < MAX_NAMES) {
            c = new long[2];
            names.put(key, c);
        }
        if (c != null) {
            c[0]++;
            c[1] += e.latencyNanos();
        }
    }

    /** A name learned elsewhere (a DNS answer seen on the wire) for {@code address}. */
    synchronized void learn(String address, String name) {
        if (!name.isEmpty() && name.length() <= 253 && !address.equals(name)) {
            byAddress.put(address, name);
        }
    }

    public synchronized Optional<String> nameOf(String address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /**
     * The name an exported counter series carries for {@code address}: the address's name when the
     * series ({@code series}, its key) is first named, and that one from then on. One address often
     * has several names (127.0.0.1 is "localhost" and the host's own name; a CDN address serves many
     * hosts): following the latest resolution would move a cumulative counter to a new series each
     * time another name is resolved, and a sum over the metric would count it twice. New series take
     * the latest name, so destinations keep names when their addresses rotate.
     */
    public synchronized String nameForSeries(Object series, String address) {
        String fixed = seriesNames.get(series);
        if (fixed != null) {
            return fixed;
        }
        String now = byAddress.get(address);
        if (now == null) {
            return "";
        }
        seriesNames.put(series, now);
        return now;
    }

    public synchronized Map<NameKey, NameStats> names() {
        Map<NameKey, NameStats> out = new HashMap<>();
        names.forEach((k, c) -> out.put(k, new NameStats(c[0], c[1])));
        return out;
    }
}
