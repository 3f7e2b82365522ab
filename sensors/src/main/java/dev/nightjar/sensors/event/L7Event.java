package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A request or response seen in a read/write syscall, with its first bytes. {@code peerPid}: on a
 * loopback client's response, the pid of the server, whose end of the exchange the kernel no longer
 * reports on its own (bpf/src/loopback.h); 0 otherwise.
 */
public record L7Event(
        int type,
        int pid,
        long timestampNanos,
        Tuple tuple,
        long latencyNanos,
        int fd,
        int protocol,
        Role role,
        long size,
        int peerPid,
        byte[] payload) {

    public static final long SIZE = 344;
    /**
     * Payload offset; a record is {@link #SIZE} bytes, or larger for a long or gathered capture, or
     * just the bytes it captured for a pipelining HTTP socket's chunk (bpf/src/l7.h submit_stream).
     */
    private static final int PAYLOAD_OFFSET = 88;
    /** The largest payload the kernel copies (bpf/src/nightjar.h L7_PAYLOAD_LARGE). */
    private static final int PAYLOAD_CAPACITY = 4096;

    public static L7Event decode(MemorySegment s) {
        if (s.byteSize() < PAYLOAD_OFFSET) {
            throw new IllegalArgumentException("l7 event of " + s.byteSize() + " bytes");
        }
        int captured = (int) Math.min(
                Math.min(Math.max(s.get(JAVA_INT, 80), 0), PAYLOAD_CAPACITY), s.byteSize() - PAYLOAD_OFFSET);
        return new L7Event(
                s.get(JAVA_INT, 0),
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                Tuple.read(s, 16),
                s.get(JAVA_LONG, 56),
                s.get(JAVA_INT, 64),
                s.get(JAVA_INT, 68),
                Role.of(s.get(JAVA_INT, 72)),
                Integer.toUnsignedLong(s.get(JAVA_INT, 76)),
                s.get(JAVA_INT, 84),
                s.asSlice(PAYLOAD_OFFSET, captured).toArray(ValueLayout.JAVA_BYTE));
    }
}
