package dev.nightjar.sensors.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.l7.HttpStream.Message;
import dev.nightjar.sensors.l7.ProtocolParser.Request;
import dev.nightjar.sensors.l7.ProtocolParser.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpStreamTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private static final String MISSING = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> statuses(List<Message<Response>> replies) {
        return replies.stream().map(m -> m.value().status()).toList();
    }

    @Test
    void aBatchOfRequestsWithBodiesParsesOneByOne() {
        String post =
                "POST /orders/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET / HTTP/"; // body looks like a
        // request
        String get = "GET /users/42?x=1 HTTP/1.1\r\nHost: x\r\n\r\n";
        byte[] batch = bytes(get + post + get);
        List<Message<Request>> requests = new HttpStream().requests(batch, batch.length);
        assertThat(requests)
                .extracting(m -> m.value().operation() + " " + m.value().target())
                .containsExactly("GET /users/{id}", "POST /orders/{id}", "GET /users/{id}");
        assertThat(requests)
                .extracting(Message::bytes)
                .containsExactly((long) get.length(), (long) post.length(), (long) get.length());
    }

    @Test
    void responsesCutAnywhereAcrossReadsAreReassembled() {
        byte[] all = bytes(OK + MISSING + "HTTP/1.1 100 Continue\r\n\r\n" + OK);
        for (int cut = 1; cut < all.length; cut++) {
            HttpStream stream = new HttpStream();
            byte[] first = Arrays.copyOfRange(all, 0, cut);
            byte[] second = Arrays.copyOfRange(all, cut, all.length);
            List<Message<Response>> replies =
                    new java.util.ArrayList<>(stream.responses(first, first.length, i -> false));
            replies.addAll(stream.responses(second, second.length, i -> false));
            assertThat(statuses(replies)).as("cut at " + cut).containsExactly("200", "404", "200");
            assertThat(stream.lost()).isFalse();
            assertThat(replies.get(0).bytes()).isEqualTo(OK.length());
        }
    }

    @Test
    void aResponseToHeadHasNoBodyWhateverItsLengthSays() {
        byte[] all = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + MISSING);
        List<Message<Response>> replies = new HttpStream().responses(all, all.length, i -> i == 0);
        assertThat(statuses(replies)).containsExactly("200", "404");
    }

    @Test
    void chunkedBodiesAreSkippedByTheirChunks() {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n";
        byte[] all = bytes(chunked + MISSING);
        HttpStream stream = new HttpStream();
        List<Message<Response>> replies = stream.responses(all, all.length, i -> false);
        assertThat(statuses(replies)).containsExactly("200", "404");
        assertThat(replies.get(0).bytes()).isEqualTo(chunked.length());
        assertThat(stream.lost()).isFalse();
    }

    @Test
    void aLongBodyIsSkippedByLengthAcrossChunksItIsNotCopiedFrom() {
        HttpStream stream = new HttpStream();
        byte[] head = bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
        // The first receive: the head and the body's start; the kernel copied the first 4096 bytes.
        byte[] captured = Arrays.copyOf(head, 4096);
        assertThat(statuses(stream.responses(captured, 65_536, i -> false))).containsExactly("200");
        long rest = 1_000_000 + head.length - 65_536;
        assertThat(stream.responses(new byte[4096], rest, i -> false)).isEmpty();
        byte[] next = bytes(MISSING);
        assertThat(statuses(stream.responses(next, next.length, i -> false))).containsExactly("404");
        assertThat(stream.lost()).isFalse();
    }

    @Test
    void repliesPastTheCaptureAreLostUntilAChunkStartsWithOne() {
        HttpStream stream = new HttpStream();
        byte[] captured = bytes(OK + OK);
        // 8192 bytes received, only the first two replies copied
        assertThat(statuses(stream.responses(captured, 8192, i -> false))).containsExactly("200", "200");
        assertThat(stream.lost()).isTrue();
        byte[] middle = bytes("llo" + OK);
        assertThat(stream.responses(middle, middle.length, i -> false)).isEmpty();
        assertThat(stream.lost()).isTrue();
        byte[] next = bytes(MISSING);
        assertThat(statuses(stream.responses(next, next.length, i -> false))).containsExactly("404");
        assertThat(stream.lost()).isFalse();
    }

    @Test
    void hostileBytesNeverThrowNorAllocateByDeclaredLengths() {
        List<String> hostile = List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n'; DROP TABLE users; --",
                "\0\0\0\0\r\n\r\n",
                "HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(10_000));
        for (String h : hostile) {
            HttpStream stream = new HttpStream();
            byte[] b = bytes(h);
            List<Message<Response>> replies = stream.responses(b, b.length, i -> false);
            assertThat(replies.size())
                    .as(h.substring(0, Math.min(40, h.length())))
                    .isLessThanOrEqualTo(1);
            assertThat(new HttpStream().requests(b, b.length)).hasSizeLessThanOrEqualTo(1);
        }
        // A head that never ends is kept only up to a bound, then the stream is lost.
        HttpStream stream = new HttpStream();
        byte[] start = bytes("HTTP/1.1 200 OK\r\n");
        stream.responses(start, start.length, i -> false);
        byte[] header = bytes("X: " + "y".repeat(4000) + "\r\n");
        for (int i = 0; i < 8; i++) {
            stream.responses(header, header.length, j -> false);
        }
        assertThat(stream.lost()).isTrue();
    }
}
