package dev.nightjar.sensors;

import dev.nightjar.sensors.L7State.CallKey;
import dev.nightjar.sensors.L7State.CallStats;
import java.util.HashMap;
import java.util.Map;

/**
 * The counters of the L7 exchanges parsed from events, per call key: count, errors, latency buckets
 * and the messages' sizes. Bounded by keys; {@link L7State} guards it.
 */
final class L7Counts {

    private static final int MAX_KEYS = 20_000;
    /** Per key: count, errors, the buckets, then request and response bytes (-1 once one is unknown). */
    private static final int SIZES = 2 + L7State.BOUNDS.length + 1;

    private final Map<CallKey, long[]> counts = new HashMap<>();
    private final Map<CallKey, double[]> latency = new HashMap<>();

    /** Adds one exchange; false when the key is new and the table is full. Sizes are -1 when unknown. */
    boolean add(CallKey key, boolean error, long latencyNanos, long requestBytes, long responseBytes) {
        long[] c = counts.get(key);
        if (c == null) {
            if (counts.size() >= MAX_KEYS) {
                return false;
            }
            c = new long[SIZES + 2];
            counts.put(key, c);
            latency.put(key, new double[1]);
        }
        // Sizes stay known only while every exchange of the key had both.
        if (requestBytes < 0 || responseBytes < 0 || c[SIZES] < 0) {
            c[SIZES] = -1;
            c[SIZES + 1] = -1;
        } else {
            c[SIZES] += requestBytes;
            c[SIZES + 1] += responseBytes;
        }
        double seconds = latencyNanos / 1e9;
        c[0]++;
        if (error) {
            c[1]++;
        }
        int bucket = 0;
        while (bucket < L7State.BOUNDS.length && seconds > L7State.BOUNDS[bucket]) {
            bucket++;
        }
        c[2 + bucket]++;
        latency.get(key)[0] += seconds;
        return true;
    }

    /** Every key's totals so far, in a new map the caller may add to. */
    Map<CallKey, CallStats> snapshot() {
        Map<CallKey, CallStats> out = new HashMap<>();
        counts.forEach((k, c) -> {
            long[] buckets = new long[L7State.BOUNDS.length + 1];
            System.arraycopy(c, 2, buckets, 0, buckets.length);
            out.put(k, new CallStats(c[0], c[1], latency.get(k)[0], buckets, c[SIZES], c[SIZES + 1]));
        });
        return out;
    }

    /** Two totals of one key (the kernel's and the events', or two path hashes of one template). */
    static CallStats sum(CallStats x, CallStats y) {
        long[] buckets = new long[x.bucketCounts().length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = x.bucketCounts()[i] + y.bucketCounts()[i];
        }
        return new CallStats(
                x.count() + y.count(),
                x.errors() + y.errors(),
                x.latencySecondsSum() + y.latencySecondsSum(),
                buckets,
                sumBytes(x.requestBytes(), y.requestBytes()),
                sumBytes(x.responseBytes(), y.responseBytes()));
    }

    private static long sumBytes(long x, long y) {
        return x < 0 || y < 0 ? -1 : x + y;
    }
}
