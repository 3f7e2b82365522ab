package dev.nightjar.sensors.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class L7ProtocolsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Real first requests of each protocol, as its clients send them. */
    private static final Map<String, List<String>> REQUESTS = Map.of(
            "redis",
                    List.of(
                            "*1\r\n$4\r\nPING\r\n",
                            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
                            "*12\r\n$4\r\nMSET\r\n",
                            "\r\n*2\r\n$4\r\nECHO\r\n$20\r\n"),
            "postgresql",
                    List.of(
                            "Q\0\0\0\u0015SELECT 1\0",
                            "P\0\0\0\u001aS_1\0SELECT $1\0\0\0",
                            "B\0\0\0\u000f\0S_1\0\0\0\0\0\0"),
            "memcached",
                    List.of(
                            "get k\r\n",
                            "gets a b\r\n",
                            "set k 0 0 1\r\nv\r\n",
                            "delete k\r\n",
                            "incr n 1\r\n",
                            "mg k v\r\n",
                            "ms k 1\r\nv\r\n"));

    /** Traffic no event protocol may claim. */
    private static final List<String> OTHERS = List.of(
            "GET / HTTP/1.1\r\n",
            "POST /x HTTP/1.1\r\n",
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001",
            "SSH-2.0-OpenSSH_9.2\r\n",
            "\0\0\0\u0008\u0004\u00d2\u0016\u002f", // PostgreSQL SSLRequest
            "HTTP/1.1 200 OK\r\n",
            "+OK\r\n",
            "PRI * HTTP/2.0\r\n");

    private static Optional<ProtocolParser> classify(L7Protocols protocols, byte[] request) {
        return protocols.signatures().stream()
                .filter(s -> s.signature().matches(request))
                .findFirst()
                .map(s -> protocols.byNumber().get(s.protocol()));
    }

    @Test
    void eachProtocolsRequestsAreClassifiedAsItsOwnAndParsedByIt() {
        L7Protocols protocols = L7Protocols.standard();
        REQUESTS.forEach((name, requests) -> {
            for (String request : requests) {
                Optional<ProtocolParser> parser = classify(protocols, b(request));
                assertThat(parser).as(request).isPresent();
                assertThat(parser.get().name()).as(request).isEqualTo(name);
                assertThat(parser.get().parseRequests(b(request))).as(request).isNotEmpty();
            }
        });
        for (String other : OTHERS) {
            assertThat(classify(protocols, b(other))).as(other).isEmpty();
        }
    }

    @Test
    void numbersFollowTheListWithHttpFirst() {
        L7Protocols protocols = L7Protocols.standard();
        assertThat(protocols.byNumber().get(L7Protocols.HTTP).name()).isEqualTo("http");
        assertThat(protocols.byNumber().get(2).name()).isEqualTo("redis");
        assertThat(protocols.longCaptureMask()).isEqualTo(1 << 2);
        assertThat(protocols.signatures())
                .allSatisfy(s -> assertThat(s.protocol()).isBetween(2, 31));
        assertThat(protocols.signatures()).hasSizeLessThanOrEqualTo(L7Protocols.MAX_SIGNATURES);
    }

    private record Fake(String name, List<RequestSignature> requestSignatures) implements ProtocolParser {
        @Override
        public Optional<Request> parseRequest(byte[] payload) {
            return Optional.empty();
        }

        @Override
        public Optional<Response> parseResponse(byte[] payload) {
            return Optional.empty();
        }
    }

    @Test
    void aListTheKernelCannotHoldIsRefusedWithTheReason() {
        RequestSignature one = RequestSignature.literal("ab");
        assertThatThrownBy(() -> L7Protocols.of(List.of(new Fake("x", List.of(one)), new Fake("x", List.of(one)))))
                .hasMessageContaining("two protocols are named x");
        assertThatThrownBy(() -> L7Protocols.of(List.of(new Fake("http", List.of(one)))))
                .hasMessageContaining("two protocols are named http");
        assertThatThrownBy(() -> L7Protocols.of(List.of(new Fake("x", List.of()))))
                .hasMessageContaining("x has no request signature");
        assertThatThrownBy(() -> L7Protocols.of(List.of(new Fake("x", java.util.Collections.nCopies(33, one)))))
                .hasMessageContaining("33 request signatures");
        assertThatThrownBy(() -> L7Protocols.of(java.util.stream.IntStream.range(0, 31)
                        .mapToObj(i -> new Fake("p" + i, List.of(one)))
                        .toList()))
                .hasMessageContaining("at most 30 protocols");
    }

    @Test
    void signaturesAreBoundedAndMatchByteRanges() {
        RequestSignature redis = RequestSignature.builder()
                .literal("*")
                .range('1', '9')
                .literal("\r\n$")
                .build();
        assertThat(redis.length()).isEqualTo(5);
        assertThat(redis.matches(b("*3\r\n$3"))).isTrue();
        assertThat(redis.matches(b("*0\r\n$3"))).isFalse();
        assertThat(redis.matches(b("*3\r\n"))).isFalse(); // shorter than the signature
        assertThat(RequestSignature.builder().any().range(0xff, 0xff).build().matches(new byte[] {0, (byte) 0xff}))
                .isTrue();
        assertThatThrownBy(() -> RequestSignature.literal("123456789")).hasMessageContaining("at most 8");
        assertThatThrownBy(() -> RequestSignature.literal("a")).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> RequestSignature.builder().range('9', '1'))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestSignature.builder().range(0, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThat(redis)
                .isEqualTo(RequestSignature.builder()
                        .literal("*")
                        .range('1', '9')
                        .literal("\r\n$")
                        .build());
        assertThat(redis.toString()).isEqualTo("RequestSignature[2a 31-39 0d 0a 24]");
    }
}
