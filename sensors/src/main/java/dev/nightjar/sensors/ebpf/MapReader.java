package dev.nightjar.sensors.ebpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Walks a BPF hash map from user space (key by key; entries may change meanwhile). */
public final class MapReader {

    private MapReader() {}

    /** Calls {@code visitor} with each key and value; returns how many entries were read. */
    public static int forEach(
            int mapFd, long keySize, long valueSize, BiConsumer<MemorySegment, MemorySegment> visitor) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libbpf.callState(arena);
            MemorySegment key = arena.allocate(keySize);
            MemorySegment next = arena.allocate(keySize);
            MemorySegment value = arena.allocate(valueSize);
            MemorySegment previous = MemorySegment.NULL;
            int count = 0;
            while (Libbpf.mapNextKey(mapFd, previous, next, state) == 0) {
                // An entry deleted between the two calls is simply skipped.
                if (Libbpf.mapLookup(mapFd, next, value, state) == 0) {
                    visitor.accept(next, value);
                    count++;
                }
                MemorySegment.copy(next, 0, key, 0, keySize);
                previous = key;
            }
            return count;
        }
    }

    /**
     * Like {@link #forEach} for a per-CPU hash map whose values are u64 counters only: the kernel
     * hands one value per possible CPU (each rounded up to 8 bytes), and the visitor gets their sum,
     * {@code valueSize} bytes long, so it reads one value as from a plain map.
     */
    public static int forEachSummed(
            int mapFd, long keySize, long valueSize, BiConsumer<MemorySegment, MemorySegment> visitor) {
        long stride = (valueSize + 7) & ~7L;
        int cpus = possibleCpus();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sum = arena.allocate(valueSize, 8);
            return forEach(mapFd, keySize, stride * cpus, (key, perCpu) -> {
                sumCpus(perCpu, stride, cpus, valueSize, sum);
                visitor.accept(key, sum);
            });
        }
    }

    /**
     * Reads the element at each index of a per-CPU array map whose values are u64 counters only,
     * summed over the CPUs as {@link #forEachSummed} does; an index past the array's end is skipped.
     * The visitor gets the index and the sum.
     */
    public static void lookupSummed(
            int mapFd, int[] indices, long valueSize, BiConsumer<Integer, MemorySegment> visitor) {
        long stride = (valueSize + 7) & ~7L;
        int cpus = possibleCpus();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libbpf.callState(arena);
            MemorySegment key = arena.allocate(4);
            MemorySegment perCpu = arena.allocate(stride * cpus, 8);
            MemorySegment sum = arena.allocate(valueSize, 8);
            for (int index : indices) {
                key.set(ValueLayout.JAVA_INT, 0, index);
                if (Libbpf.mapLookup(mapFd, key, perCpu, state) != 0) {
                    continue;
                }
                sumCpus(perCpu, stride, cpus, valueSize, sum);
                visitor.accept(index, sum);
            }
        }
    }

    /** Adds up each u64 of a per-CPU value (one {@code stride}-sized copy per CPU) into {@code sum}. */
    private static void sumCpus(MemorySegment perCpu, long stride, int cpus, long valueSize, MemorySegment sum) {
        for (long at = 0; at + 8 <= valueSize; at += 8) {
            long total = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                total += perCpu.get(ValueLayout.JAVA_LONG_UNALIGNED, cpu * stride + at);
            }
            sum.set(ValueLayout.JAVA_LONG_UNALIGNED, at, total);
        }
    }

    private static volatile int possibleCpus;

    /** How many CPUs the kernel deems possible (per-CPU maps have a value for each), from sysfs. */
    public static int possibleCpus() {
        int known = possibleCpus;
        if (known == 0) {
            try {
                known = parseCpuList(Files.readString(Path.of("/sys/devices/system/cpu/possible")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            possibleCpus = known;
        }
        return known;
    }

    /**
     * How many CPUs a kernel CPU list names ("0-3,8-11" is 8): the kernel packs a per-CPU value for
     * each possible CPU in order, holes skipped.
     */
    static int parseCpuList(String list) {
        int count = 0;
        for (String range : list.trim().split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("bad CPU range '" + range + "'");
            }
            count += last - first + 1;
        }
        if (count == 0) {
            throw new IllegalArgumentException("no CPU in '" + list.trim() + "'");
        }
        return count;
    }

    /**
     * Puts a u16 key's u32 value into a hash map unless the key is there already (the kernel's own
     * entry wins). True when written.
     */
    public static boolean putIfAbsent(int mapFd, short key, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libbpf.callState(arena);
            MemorySegment k = arena.allocate(ValueLayout.JAVA_SHORT);
            k.set(ValueLayout.JAVA_SHORT, 0, key);
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            return Libbpf.mapUpdate(mapFd, k, v, BPF_NOEXIST, state) == 0;
        }
    }

    private static final long BPF_NOEXIST = 1;

    /** The single u64 at index 0 of an array map (the programs' drop counters). */
    public static long readCounter(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libbpf.callState(arena);
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(8);
            return Libbpf.mapLookup(mapFd, key, value, state) == 0 ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }
}
