package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * One key of the kernel's HTTP counters: cumulative HTTP exchanges of a process with a peer, by
 * method, path hash and status ({@code struct http_key} in {@code http_keys}, {@code struct
 * http_stats} in its slot of {@code http_values}). The byte sums are of whole messages: request or
 * status line, headers and body.
 */
public record HttpAggregate(
        int pid,
        Role role,
        int port,
        String peerAddress,
        int status,
        String method,
        long pathHash,
        long count,
        long latencyNanosSum,
        long[] buckets,
        long requestBytes,
        long responseBytes) {

    public static final long KEY_SIZE = 40;
    public static final long VALUE_SIZE = 136;
    public static final int BUCKETS = 13;
    private static final String[] METHODS = {"?", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"};

    static String methodName(int method) {
        return method > 0 && method < METHODS.length ? METHODS[method] : "?";
    }

    public static HttpAggregate decode(MemorySegment key, MemorySegment value) {
        int family = Short.toUnsignedInt(key.get(JAVA_SHORT, 24));
        int method = key.get(JAVA_INT, 28);
        long[] buckets = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = value.get(JAVA_LONG, 16 + 8L * i);
        }
        return new HttpAggregate(
                key.get(JAVA_INT, 0),
                Role.of(Short.toUnsignedInt(key.get(JAVA_SHORT, 4))),
                Short.toUnsignedInt(key.get(JAVA_SHORT, 6)),
                Tuple.address(key, 8, family).getHostAddress(),
                Short.toUnsignedInt(key.get(JAVA_SHORT, 26)),
                methodName(method),
                key.get(JAVA_LONG, 32),
                value.get(JAVA_LONG, 0),
                value.get(JAVA_LONG, 8),
                buckets,
                value.get(JAVA_LONG, 16 + 8L * BUCKETS),
                value.get(JAVA_LONG, 24 + 8L * BUCKETS));
    }
}
