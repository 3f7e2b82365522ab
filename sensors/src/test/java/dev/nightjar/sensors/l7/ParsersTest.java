package dev.nightjar.sensors.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.l7.ProtocolParser.Request;
import dev.nightjar.sensors.l7.ProtocolParser.Response;
import java.nio.charset.StandardCharsets;
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
    void redisCommandNameWithoutKeysAndReplyType() {
        RedisParser redis = new RedisParser();
        assertThat(redis.parseRequest(b("*2\r\n$3\r\nget\r\n$6\r\nsecret\r\n"))).contains(new Request("GET", ""));
        assertThat(redis.parseResponse(b("-ERR unknown command\r\n"))).contains(new Response("ERR", true, -1));
        assertThat(redis.parseResponse(b("$5\r\nhello\r\n"))).contains(new Response("OK", false, -1));
    }

    @Test
    void postgresStatementKeywordOnly() {
        PostgresParser pg = new PostgresParser();
        byte[] query = b("Q\0\0\0\u001aselect * from users\0");
        assertThat(pg.parseRequest(query)).contains(new Request("query", "SELECT"));
        assertThat(pg.parseResponse(b("E\0\0\0\u0010SERROR\0"))).contains(new Response("ERROR", true, -1));
    }

    @Test
    void hostilePayloadsNeverThrowAndNeverBecomeLabels() {
        List<ProtocolParser> parsers = List.of(new HttpParser(), new RedisParser(), new PostgresParser());
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
                b("\r\n\r\n\r\n"));
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
