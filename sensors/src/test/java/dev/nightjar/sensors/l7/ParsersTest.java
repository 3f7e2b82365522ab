package dev.nightjar.sensors.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.l7.ProtocolParser.Request;
import dev.nightjar.sensors.l7.ProtocolParser.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParsersTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void httpRequestLineBecomesMethodAndPathTemplate() {
        HttpParser http = new HttpParser();
        assertThat(http.parseRequest(b("GET /users/42/orders/9f8e7d6c5b4a39281706?page=2 HTTP/1.1\r\nHost: x\r\n")))
                .contains(new Request("GET", "/users/{id}/orders/{id}"));
        assertThat(http.parseResponse(b("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 12\r\n\r\n")))
                .contains(new Response("503", true, 12));
        assertThat(http.parseResponse(b("HTTP/1.0 404 Not Found\r\n"))).contains(new Response("404", false, -1));
    }

    @Test
    void aPathLongerThanTheKernelHashesIsNamedByItsWholeSegmentsWithin() {
        HttpParser http = new HttpParser();
        String longTail = "x".repeat(300);
        // The capture (128 bytes) ends inside the request line: still a request, named the same way.
        byte[] cut = Arrays.copyOf(b("GET /api/v1/reports/" + longTail + "/tail HTTP/1.1\r\n"), 128);
        assertThat(http.parseRequest(cut)).contains(new Request("GET", "/api/v1/reports/{long}"));
        assertThat(http.parseRequest(b("GET /api/v1/reports/7/" + longTail + " HTTP/1.1\r\n")))
                .contains(new Request("GET", "/api/v1/reports/{id}/{long}"));
        String sixtyFour = "/" + "abcdefg/".repeat(8).substring(0, 63);
        assertThat(sixtyFour).hasSize(HttpParser.HASHED_PATH);
        assertThat(http.parseRequest(b("GET " + sixtyFour + " HTTP/1.1\r\n"))).contains(new Request("GET", sixtyFour));
        // Line cut by the capture but the path whole: the path as usual.
        assertThat(http.parseRequest(b("GET /short?q=" + "y".repeat(200)))).contains(new Request("GET", "/short"));
        // Not requests: a short unterminated line, and an unknown method.
        assertThat(http.parseRequest(b("GET /a"))).isEmpty();
        assertThat(http.parseRequest(b("FETCH /" + longTail))).isEmpty();
    }

    @Test
    void redisCommandNameWithoutKeysAndReplyType() {
        RedisParser redis = new RedisParser();
        assertThat(redis.parseRequest(b("*2\r\n$3\r\nget\r\n$6\r\nsecret\r\n"))).contains(new Request("GET", ""));
        assertThat(redis.parseResponse(b("-ERR unknown command\r\n"))).contains(new Response("ERR", true, -1));
        assertThat(redis.parseResponse(b("$5\r\nhello\r\n"))).contains(new Response("OK", false, -1));
    }

    private static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** A pipelining client's commands in one write, and the server's replies in one read. */
    @Test
    void redisPipelineCountsEveryCommandAndReplyThatStartsInThePayload() {
        RedisParser redis = new RedisParser();
        StringBuilder commands = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            commands.append(resp("SET", "key" + i, "v"));
        }
        commands.append(resp("INCR", "key1"));
        // redis-cli --pipe ends with an empty line and an ECHO of 20 random bytes (binary, CRLF
        // included: length-prefixed)
        commands.append("\r\n")
                .append(resp("ECHO", "\u00e1\u0007\r\n'v\u00ea\u00e5\u00f6\u00a8v\u00dc-S\u0006v\u0082\u0012\u00c8R"));
        List<Request> requests = redis.parseRequests(b(commands.toString()));
        assertThat(requests).hasSize(42);
        assertThat(requests.subList(0, 40)).allMatch(r -> r.operation().equals("SET"));
        assertThat(requests.subList(40, 42)).extracting(Request::operation).containsExactly("INCR", "ECHO");

        String replies = "+OK\r\n".repeat(3) + ":7\r\n" + "-WRONGTYPE Operation against a key\r\n" + "$-1\r\n"
                + "*2\r\n$1\r\na\r\n*1\r\n:1\r\n" + "$5\r\nhe\r\no\r\n" + "%1\r\n+k\r\n_\r\n" + "*-1\r\n";
        assertThat(redis.parseResponses(b(replies)))
                .extracting(Response::status)
                .containsExactly("OK", "OK", "OK", "OK", "ERR", "OK", "OK", "OK", "OK", "OK");

        // Cut inside the third command's value: the third still counts (its name was seen), no more.
        String three = resp("SET", "a", "1") + resp("GET", "a") + resp("SET", "b", "x".repeat(100));
        assertThat(redis.parseRequests(b(three.substring(0, three.length() - 50))))
                .extracting(Request::operation)
                .containsExactly("SET", "GET", "SET");
        // Cut inside a reply: the replies that started are seen.
        assertThat(redis.parseResponses(b("+OK\r\n$100\r\nabc"))).hasSize(2);
        // Declared lengths and counts far beyond the payload stop the walk, never allocate.
        assertThat(redis.parseResponses(b("*2147483647\r\n:1\r\n"))).hasSize(1);
        assertThat(redis.parseRequests(b("*1\r\n$3\r\nGET\r\n*99999999999999999999\r\n")))
                .hasSize(1);
    }

    @Test
    void postgresStatementKeywordOnly() {
        PostgresParser pg = new PostgresParser();
        byte[] query = b("Q\0\0\0\u001aselect * from users\0");
        assertThat(pg.parseRequest(query)).contains(new Request("query", "SELECT"));
        assertThat(pg.parseResponse(b("E\0\0\0\u0010SERROR\0"))).contains(new Response("ERROR", true, -1));
        // Extended protocol: ParseComplete, BindComplete, then the error raised while running it.
        assertThat(pg.parseResponse(b("1\0\0\0\u00042\0\0\0\u0004E\0\0\0\u0010SERROR\0Z\0\0\0\u0005I")))
                .contains(new Response("ERROR", true, -1));
        assertThat(pg.parseResponse(b("1\0\0\0\u00042\0\0\0\u0004C\0\0\0\rSELECT 1\0Z\0\0\0\u0005I")))
                .contains(new Response("OK", false, -1));
        // A named Parse with Sync only prepares; a Bind runs the statement by name.
        assertThat(pg.parseRequest(b("P\0\0\0\u0013S_1\0update t\0\0\0S\0\0\0\u0004")))
                .contains(new Request("prepare", "UPDATE", "S_1"));
        assertThat(
                        pg.parseRequest(
                                b(
                                        "P\0\0\0\u0010\0select 1\0\0\0B\0\0\0\u000c\0\0\0\0\0\0\0\0E\0\0\0\u0009\0\0\0\0\0S\0\0\0\u0004")))
                .contains(new Request("parse", "SELECT", ""));
        assertThat(pg.parseRequest(b("B\0\0\0\u000f\0S_1\0\0\0\0\0\0\0E\0\0\0\u0009\0\0\0\0\0")))
                .contains(new Request("execute", "", "S_1"));
    }

    @Test
    void hostilePayloadsNeverThrowAndNeverBecomeLabels() {
        List<ProtocolParser> parsers =
                List.copyOf(L7Protocols.standard().byNumber().values());
        List<byte[]> hostile = List.of(
                new byte[0],
                b("GET"),
                b("GET \r\n"),
                b("GET /a HTTP/1.1"), // no CRLF: truncated
                b("GET /" + "a/".repeat(200) + " HTTP/1.1\r\n"),
                b("GET /<script>alert(1)</script> HTTP/1.1\r\n"),
                b("HTTP/1.1 99999999999\r\n"),
                b("HTTP/1.1 2\r\n"),
                b("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n"),
                b("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n"),
                b("*9\r\n$999999999\r\nGET\r\n"),
                b("*1\r\n$-1\r\n"),
                b("*1\r\n$3\r\nG\0T\r\n"),
                b("Q\0\0\0\0"),
                b("P\0\0\0\u0008\0\0\0"),
                b("\r\n\r\n\r\n"),
                b("set k 0 0 99999999999\r\nv\r\n"),
                b("set k 0 0 -4\r\n"),
                b("get " + "k".repeat(5000) + "\r\n"),
                b("VALUE k 0 2147483648\r\n"),
                b("VALUE k 0\r\n"),
                b("ms k -1\r\n"),
                b("VA 99999999999999999999\r\n"));
        for (ProtocolParser parser : parsers) {
            for (byte[] payload : hostile) {
                parser.parseRequest(payload)
                        .ifPresent(r -> assertThat(r.target().length()).isLessThan(600));
                parser.parseResponse(payload);
            }
            Random random = new Random(42);
            for (int i = 0; i < 10_000; i++) {
                byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                parser.parseRequest(noise);
                parser.parseResponse(noise);
            }
        }
        assertThat(new HttpParser()
                        .parseRequest(b("GET /" + "a/".repeat(200) + " HTTP/1.1\r\n"))
                        .orElseThrow()
                        .target())
                .endsWith("/…");
        assertThat(new HttpParser().parseResponse(b("HTTP/1.1 99999999999\r\n")))
                .isEmpty();
        assertThat(new HttpParser()
                        .parseResponse(b("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n"))
                        .orElseThrow()
                        .bodySize())
                .isEqualTo(-1);
        assertThat(new RedisParser().parseRequest(b("*9\r\n$999999999\r\nGET\r\n")))
                .isEmpty();
    }
}
