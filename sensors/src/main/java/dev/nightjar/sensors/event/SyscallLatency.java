package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * A process's latency histogram for one syscall ({@code struct syscall_hist}): slot 0 counts
 * calls under 1 µs, slot i calls in [2^(i-1), 2^i) µs, the last slot everything longer.
 */
public record SyscallLatency(int pid, String syscall, long count, long sumNanos, long[] slots) {

    public static final long KEY_SIZE = 8;
    public static final long VALUE_SIZE = 208;
    public static final int SLOTS = 24;
    private static final String[] NAMES = {"read", "write", "epoll_wait", "futex"};

    public static SyscallLatency decode(MemorySegment key, MemorySegment value) {
        int id = key.get(JAVA_INT, 4);
        long[] slots = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = value.get(JAVA_LONG, 16 + 8L * i);
        }
        return new SyscallLatency(
                key.get(JAVA_INT, 0),
                id >= 0 && id < NAMES.length ? NAMES[id] : "unknown",
                value.get(JAVA_LONG, 0),
                value.get(JAVA_LONG, 8),
                slots);
    }

    /** Upper bounds in seconds of all but the last slot, for an OTLP explicit-bucket histogram. */
    public static double[] boundsSeconds() {
        double[] bounds = new double[SLOTS - 1];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = Math.scalb(1e-6, i);
        }
        return bounds;
    }
}
