package dev.nightjar.sensors.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.l7.ProtocolParser.Request;
import dev.nightjar.sensors.l7.ProtocolParser.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemcachedParserTest {

    private final MemcachedParser memcached = new MemcachedParser();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Request op(String name) {
        return new Request(name, "");
    }

    @Test
    void commandsWithoutKeysOrValues() {
        assertThat(memcached.parseRequests(b("get user:42\r\n"))).containsExactly(op("GET"));
        assertThat(memcached.parseRequests(b("gets a b c\r\n"))).containsExactly(op("GETS"));
        assertThat(memcached.parseRequests(b("set session:9 0 60 5\r\nhello\r\n")))
                .containsExactly(op("SET"));
        assertThat(memcached.parseRequests(b("cas k 0 0 1 77\r\nx\r\n"))).containsExactly(op("CAS"));
        assertThat(memcached.parseRequests(b("incr hits 1\r\n"))).containsExactly(op("INCR"));
        assertThat(memcached.parseRequests(b("mg k v t\r\n"))).containsExactly(op("MG"));
        assertThat(memcached.parseRequests(b("ms k 2 T60\r\nhi\r\n"))).containsExactly(op("MS"));
        assertThat(memcached.parseRequest(b("delete k\r\n"))).contains(op("DELETE"));
    }

    @Test
    void aPipelineCountsEveryCommandAndSkipsValuesAndNoreply() {
        String batch = "set a 0 0 10\r\nget b\r\nxxx\r\n" // the value holds a line that looks like a command
                + "set q 0 0 1 noreply\r\nz\r\n"
                + "get a\r\n"
                + "mg b v q\r\n"
                + "delete a\r\n"
                + "mn\r\n";
        assertThat(memcached.parseRequests(b(batch))).containsExactly(op("SET"), op("GET"), op("DELETE"), op("MN"));
    }

    @Test
    void repliesByKeyword() {
        assertThat(memcached.parseResponses(b("VALUE user:42 0 5\r\nhello\r\nEND\r\n")))
                .containsExactly(new Response("HIT", false, -1));
        assertThat(memcached.parseResponses(b("END\r\n"))).containsExactly(new Response("MISS", false, -1));
        assertThat(memcached.parseResponses(b("STORED\r\n"))).containsExactly(new Response("STORED", false, -1));
        assertThat(memcached.parseResponses(b("NOT_FOUND\r\n"))).containsExactly(new Response("NOT_FOUND", false, -1));
        assertThat(memcached.parseResponses(b("43\r\n"))).containsExactly(new Response("OK", false, -1));
        assertThat(memcached.parseResponses(b("ERROR\r\n"))).containsExactly(new Response("ERROR", true, -1));
        assertThat(memcached.parseResponses(b("CLIENT_ERROR bad data chunk\r\n")))
                .containsExactly(new Response("CLIENT_ERROR", true, -1));
        assertThat(memcached.parseResponses(b("SERVER_ERROR out of memory storing object\r\n")))
                .containsExactly(new Response("SERVER_ERROR", true, -1));
        assertThat(memcached.parseResponses(b("VA 2 t-1\r\nhi\r\n"))).containsExactly(new Response("HIT", false, -1));
        assertThat(memcached.parseResponses(b("EN\r\n"))).containsExactly(new Response("MISS", false, -1));
        assertThat(memcached.parseResponses(b("HD\r\n"))).containsExactly(new Response("HD", false, -1));
    }

    @Test
    void pipelinedRepliesInOrderAndAValueThatLooksLikeAReply() {
        String replies = "STORED\r\n"
                + "VALUE a 0 8\r\nEND\r\nEND\r\nEND\r\n" // the value is "END\r\nEND"
                + "END\r\n"
                + "DELETED\r\n";
        assertThat(memcached.parseResponses(b(replies)).stream().map(Response::status))
                .containsExactly("STORED", "HIT", "MISS", "DELETED");
    }

    @Test
    void truncatedCapturesKeepWhatIsWhole() {
        // A long multi-get's line cut by the capture: the command is known, so it counts.
        assertThat(memcached.parseRequests(b("get " + "k ".repeat(200)))).containsExactly(op("GET"));
        // A value cut by the capture: the reply is known, the ones after it are not seen.
        assertThat(memcached.parseResponses(b("VALUE big 0 100000\r\nxxxx")))
                .containsExactly(new Response("HIT", false, -1));
        assertThat(memcached.parseRequests(b("get"))).isEmpty();
        assertThat(memcached.parseRequests(b("GET / HTTP/1.1\r\n"))).isEmpty();
        assertThat(memcached.parseResponses(b("HTTP/1.1 200 OK\r\n"))).isEmpty();
    }

    @Test
    void hostileLengthsNeverAllocateOrThrow() {
        List<String> hostile = List.of(
                "set k 0 0 99999999999999999999\r\nv\r\n",
                "set k 0 0 -1\r\n",
                "set k\r\n",
                "ms k\r\n",
                "VALUE k 0 -7\r\n",
                "VALUE k 0 99999999999\r\n",
                "VA -1\r\n",
                "get " + "\u0000".repeat(3000) + "\r\n",
                "\r\n\r\n",
                "   \r\n");
        for (String payload : hostile) {
            memcached.parseRequests(b(payload));
            memcached.parseResponses(b(payload));
        }
        assertThat(memcached.parseRequests(b("set k 0 0 99999999999999999999\r\nv\r\n")))
                .containsExactly(op("SET"));
    }
}
