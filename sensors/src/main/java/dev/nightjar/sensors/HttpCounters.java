package dev.nightjar.sensors;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.nightjar.sensors.ebpf.MapReader;
import dev.nightjar.sensors.event.HttpAggregate;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the kernel's HTTP counters (bpf/src/l7.h): {@code http_keys} names each key's slot, and the
 * per-CPU array {@code http_values} holds the slot's counters, one copy per CPU (the kernel adds
 * without atomics), summed here. Two maps instead of one hash of counters so that a keep-alive
 * connection repeating a key finds its slot through the socket, with no hash lookup per exchange.
 */
final class HttpCounters {

    private HttpCounters() {}

    static List<HttpAggregate> read(int keysFd, int valuesFd) {
        try (Arena arena = Arena.ofConfined()) {
            List<MemorySegment> keys = new ArrayList<>();
            Map<Integer, Integer> keyOfSlot = new HashMap<>();
            MapReader.forEach(keysFd, HttpAggregate.KEY_SIZE, 4, (k, v) -> {
                keyOfSlot.put(v.get(JAVA_INT, 0), keys.size());
                keys.add(arena.allocate(HttpAggregate.KEY_SIZE).copyFrom(k));
            });
            int[] slots =
                    keyOfSlot.keySet().stream().mapToInt(Integer::intValue).toArray();
            List<HttpAggregate> read = new ArrayList<>(slots.length);
            MapReader.lookupSummed(
                    valuesFd,
                    slots,
                    HttpAggregate.VALUE_SIZE,
                    (slot, sum) -> read.add(HttpAggregate.decode(keys.get(keyOfSlot.get(slot)), sum)));
            return read;
        }
    }
}
