package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

/**
 * A DNS message a process sent to or received from UDP port 53 ({@code struct nj_dns_packet} in
 * bpf/src/dns_udp.h): its first bytes, untrusted, parsed by {@code dns.DnsMessage}.
 */
public record DnsPacket(boolean query, int pid, long timestampNanos, long socket, InetAddress server, byte[] payload) {

    public static final int QUERY = 31;
    public static final int ANSWER = 32;
    public static final long HEADER = 56;
    private static final int MAX_PAYLOAD = 512;

    public static DnsPacket decode(MemorySegment s) {
        if (s.byteSize() < HEADER + MAX_PAYLOAD) {
            throw new IllegalArgumentException("dns packet of " + s.byteSize() + " bytes");
        }
        int type = s.get(JAVA_INT, 0);
        if (type != QUERY && type != ANSWER) {
            throw new IllegalArgumentException("dns packet type " + type);
        }
        int captured = Math.min(s.get(JAVA_INT, 28), MAX_PAYLOAD);
        int family = Short.toUnsignedInt(s.get(JAVA_SHORT, 32));
        InetAddress server = family == 2 || family == 10 ? Tuple.address(s, 40, family) : null;
        return new DnsPacket(
                type == QUERY,
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                s.get(JAVA_LONG, 16),
                server,
                s.asSlice(HEADER, Math.max(captured, 0)).toArray(ValueLayout.JAVA_BYTE));
    }
}
