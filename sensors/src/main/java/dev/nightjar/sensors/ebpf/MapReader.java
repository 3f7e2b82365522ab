package dev.nightjar.sensors.ebpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
