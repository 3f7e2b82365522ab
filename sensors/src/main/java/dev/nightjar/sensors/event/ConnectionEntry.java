package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** A live connection from the kernel's {@code conns} map ({@code struct conn} in net.bpf.c). */
public record ConnectionEntry(
        long socket, int pid, long bytesSent, long bytesReceived, int retransmits, Role role, Tuple tuple) {

    public static final long KEY_SIZE = 8;
    public static final long VALUE_SIZE = 80;

    public static ConnectionEntry decode(MemorySegment key, MemorySegment value) {
        return new ConnectionEntry(
                key.get(JAVA_LONG, 0),
                value.get(JAVA_INT, 24),
                value.get(JAVA_LONG, 8),
                value.get(JAVA_LONG, 16),
                value.get(JAVA_INT, 28),
                Role.of(value.get(JAVA_INT, 32)),
                Tuple.read(value, 40));
    }
}
