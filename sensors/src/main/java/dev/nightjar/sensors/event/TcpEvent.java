package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** A TCP lifecycle event ({@code struct nj_tcp_event}). */
public record TcpEvent(
        int type,
        int pid,
        long timestampNanos,
        Tuple tuple,
        long socket,
        long durationNanos,
        long bytesSent,
        long bytesReceived,
        int retransmits,
        int error,
        Role role) {

    public static final long SIZE = 104;

    public static TcpEvent decode(MemorySegment s) {
        if (s.byteSize() < SIZE) {
            throw new IllegalArgumentException("tcp event of " + s.byteSize() + " bytes");
        }
        return new TcpEvent(
                s.get(JAVA_INT, 0),
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                Tuple.read(s, 16),
                s.get(JAVA_LONG, 56),
                s.get(JAVA_LONG, 64),
                s.get(JAVA_LONG, 72),
                s.get(JAVA_LONG, 80),
                s.get(JAVA_INT, 88),
                s.get(JAVA_INT, 92),
                Role.of(s.get(JAVA_INT, 96)));
    }
}
