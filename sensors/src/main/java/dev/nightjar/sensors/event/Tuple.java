package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A TCP connection's addresses as the kernel sees them (source is the local side). */
public record Tuple(InetAddress source, int sourcePort, InetAddress destination, int destinationPort) {

    static final long SIZE = 40;
    private static final int AF_INET = 2;

    /** Reads bpf/src/nightjar.h {@code struct tuple} at {@code offset}. */
    static Tuple read(MemorySegment s, long offset) {
        int family = Short.toUnsignedInt(s.get(JAVA_SHORT, offset));
        int sport = Short.toUnsignedInt(s.get(JAVA_SHORT, offset + 2));
        int dport = Short.toUnsignedInt(s.get(JAVA_SHORT, offset + 4));
        return new Tuple(address(s, offset + 8, family), sport, address(s, offset + 24, family), dport);
    }

    static InetAddress address(MemorySegment s, long offset, int family) {
        byte[] bytes = s.asSlice(offset, family == AF_INET ? 4 : 16).toArray(ValueLayout.JAVA_BYTE);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    public String sourceEndpoint() {
        return source.getHostAddress() + ":" + sourcePort;
    }

    public String destinationEndpoint() {
        return destination.getHostAddress() + ":" + destinationPort;
    }
}
