package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.TcpEvent;
import dev.nightjar.sensors.l7.L7Protocols;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile ring buffer records: counted and named by kind and type, never thrown at the drain. */
class EventHandlersTest {

    private final HostnameCache hostnames = new HostnameCache();
    private final EventHandlers handlers = new EventHandlers(
            new NetworkState(),
            new ProcessState(),
            hostnames,
            new DnsQueries(hostnames, DnsQueries.DEFAULT_TIMEOUT_NANOS),
            new L7State(L7Protocols.of(List.of())));

    @Test
    void truncatedAndTinyRecordsAreCountedPerKindAndType() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment truncated = arena.allocate(TcpEvent.SIZE - 8, 8);
            truncated.set(ValueLayout.JAVA_INT, 0, 5);
            MemorySegment tiny = arena.allocate(2, 8);
            handlers.forFeature(Feature.NETWORK).accept(truncated);
            handlers.forFeature(Feature.NETWORK).accept(truncated);
            handlers.socketEvents().accept(tiny);
            handlers.drops().accept(arena.allocate(72, 8)); // full size, but type 0
        }
        assertThat(handlers.decodeErrors()).isEqualTo(4);
        assertThat(handlers.failures()).isEqualTo(Map.of("tcp type 5", 2L, "l7 type -1", 1L, "drop type 0", 1L));
    }

    @Test
    void aWellFormedRecordIsNoFailure() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment closed = arena.allocate(TcpEvent.SIZE, 8);
            closed.set(ValueLayout.JAVA_INT, 0, 6);
            closed.set(ValueLayout.JAVA_SHORT, 16, (short) 2);
            handlers.forFeature(Feature.NETWORK).accept(closed);
        }
        assertThat(handlers.decodeErrors()).isZero();
        assertThat(handlers.failures()).isEmpty();
    }
}
