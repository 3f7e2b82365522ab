package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * A client connection the peer closed (FIN, or RST when {@code reset}) while a request was still
 * waiting for its response ({@code struct nj_drop_event} in bpf/src/drops.bpf.c).
 */
public record DropEvent(int pid, long timestampNanos, Tuple tuple, long waitedNanos, int protocol, boolean reset) {

    public static final int TYPE = 44;
    public static final long SIZE = 72;

    public static DropEvent decode(MemorySegment s) {
        if (s.byteSize() < SIZE || s.get(JAVA_INT, 0) != TYPE) {
            throw new IllegalArgumentException("drop event of " + s.byteSize() + " bytes");
        }
        return new DropEvent(
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                Tuple.read(s, 16),
                s.get(JAVA_LONG, 56),
                s.get(JAVA_INT, 64),
                s.get(JAVA_INT, 68) != 0);
    }
}
