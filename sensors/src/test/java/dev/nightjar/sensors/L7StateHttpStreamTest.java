package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.EventType;
import dev.nightjar.sensors.event.L7Event;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.sensors.event.Tuple;
import dev.nightjar.sensors.l7.L7Protocols;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A pipelining HTTP socket's chunks (bpf/src/l7.h L7_HTTP_STREAM) as L7State pairs them. */
class L7StateHttpStreamTest {

    private static final String GET = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String MISSING = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

    private final L7State state = new L7State(L7Protocols.standard());
    private long now = 1_000_000;

    private void chunk(int type, long number, String payload) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        Tuple t = new Tuple(InetAddress.getByName("10.0.0.1"), 40000, InetAddress.getByName("10.0.0.2"), 80);
        now += 1_000_000;
        state.onEvent(new L7Event(
                type, 7, now, t, number, (40000 << 16) | 80, L7Protocols.HTTP, Role.CLIENT, bytes.length, 0, bytes));
    }

    private Map<String, Long> counted() {
        Map<String, Long> out = new TreeMap<>();
        state.stats()
                .forEach(
                        (k, v) -> out.merge(k.operation() + " " + k.target() + " " + k.status(), v.count(), Long::sum));
        return out;
    }

    @Test
    void eachRequestIsAnsweredByItsOwnReplyAcrossChunks() throws Exception {
        chunk(EventType.L7_REQUEST, 1, GET + GET + GET);
        chunk(EventType.L7_RESPONSE, 2, OK + MISSING.substring(0, 10));
        chunk(EventType.L7_RESPONSE, 3, MISSING.substring(10) + OK);
        assertThat(counted()).containsExactlyInAnyOrderEntriesOf(Map.of("GET /a 200", 2L, "GET /a 404", 1L));
        assertThat(state.stats().values())
                .allSatisfy(s -> assertThat(s.requestBytes()).isPositive());
        // each exchange from its request's chunk to its reply's: 1 ms for the first, 2 ms for the others
        assertThat(state.stats().values().stream()
                        .mapToDouble(L7State.CallStats::latencySecondsSum)
                        .sum())
                .isCloseTo(0.001 + 0.002 + 0.002, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aDroppedChunkLeavesTheWaitingRequestsUnseenInsteadOfMispaired() throws Exception {
        chunk(EventType.L7_REQUEST, 1, GET + GET);
        chunk(EventType.L7_RESPONSE, 2, OK);
        // chunk 3 (the second reply, a 404) was dropped by the kernel
        chunk(EventType.L7_REQUEST, 4, GET);
        chunk(EventType.L7_RESPONSE, 5, OK);
        assertThat(counted()).containsExactlyInAnyOrderEntriesOf(Map.of("GET /a 200", 2L, "GET /a {unseen}", 1L));
    }

    @Test
    void aReplyCutByTheCaptureCountsItsHiddenNeighboursAsUnseen() throws Exception {
        chunk(EventType.L7_REQUEST, 1, GET + GET + GET);
        byte[] copied = OK.getBytes(StandardCharsets.ISO_8859_1);
        Tuple t = new Tuple(InetAddress.getByName("10.0.0.1"), 40000, InetAddress.getByName("10.0.0.2"), 80);
        // 8,192 bytes received, only the first reply copied
        state.onEvent(new L7Event(
                EventType.L7_RESPONSE,
                7,
                now + 1,
                t,
                2,
                (40000 << 16) | 80,
                L7Protocols.HTTP,
                Role.CLIENT,
                8192,
                0,
                copied));
        assertThat(counted()).containsExactlyInAnyOrderEntriesOf(Map.of("GET /a 200", 1L, "GET /a {unseen}", 2L));
    }
}
