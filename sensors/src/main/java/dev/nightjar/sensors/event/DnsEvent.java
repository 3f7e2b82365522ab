package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** One getaddrinfo call: the name asked for and the addresses it resolved to. */
public record DnsEvent(
        int pid, long timestampNanos, long latencyNanos, int result, String name, List<InetAddress> addresses) {

    public static final long SIZE = 320;
    private static final int MAX_ADDRESSES = 8;

    public static DnsEvent decode(MemorySegment s) {
        if (s.byteSize() < SIZE) {
            throw new IllegalArgumentException("dns event of " + s.byteSize() + " bytes");
        }
        int count = Math.min(s.get(JAVA_INT, 28), MAX_ADDRESSES);
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long at = 160 + i * 20L;
            int family = s.get(JAVA_INT, at);
            if (family == 2 || family == 10) {
                addresses.add(Tuple.address(s, at + 4, family));
            }
        }
        return new DnsEvent(
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                s.get(JAVA_LONG, 16),
                s.get(JAVA_INT, 24),
                CString.read(s, 32, 128),
                List.copyOf(addresses));
    }
}
