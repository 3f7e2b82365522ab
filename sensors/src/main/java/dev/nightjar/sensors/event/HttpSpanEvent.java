package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** A sampled HTTP exchange counted in the kernel ({@code struct nj_http_span}), for spans. */
public record HttpSpanEvent(
        int pid,
        long timestampNanos,
        Tuple tuple,
        long latencyNanos,
        long pathHash,
        String method,
        int status,
        Role role) {

    public static final long SIZE = 88;

    public static HttpSpanEvent decode(MemorySegment s) {
        if (s.byteSize() < SIZE) {
            throw new IllegalArgumentException("http span event of " + s.byteSize() + " bytes");
        }
        return new HttpSpanEvent(
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                Tuple.read(s, 16),
                s.get(JAVA_LONG, 56),
                s.get(JAVA_LONG, 64),
                HttpAggregate.methodName(s.get(JAVA_INT, 72)),
                s.get(JAVA_INT, 76),
                Role.of(s.get(JAVA_INT, 80)));
    }
}
