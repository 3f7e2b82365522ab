package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's own {@code http.server} speaking HTTP/1.0: a connection per exchange that the server
 * closes, the status line and headers in one write and the body in 8 KB writes after it (a 100 KB
 * body in 13), so a response is many sends on the server and many receives on the client. A raw
 * socket client counts every byte it writes and reads, so the sizes are checked exactly.
 */
class PythonHttpTrafficTest {

    private static final String SERVER = """
            import http.server, socket, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.0"
                def log_message(self, *args):
                    pass
                def do_GET(self):
                    if self.path.startswith("/big"):
                        code, body = 200, b"x" * 100000
                    elif self.path.startswith("/gone"):
                        code, body = 410, b"gone\\n"
                    else:
                        code, body = 200, b"ok\\n"
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for i in range(0, len(body), 8192):
                        self.wfile.write(body[i:i + 8192])
            class Server(http.server.HTTPServer):
                address_family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
            Server((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
            """;

    /** Prints "status request-bytes response-bytes" per exchange, from what the socket carried. */
    private static final String CLIENT = """
            import socket, sys
            host, port = sys.argv[1], int(sys.argv[2])
            for path in sys.argv[3:]:
                s = socket.create_connection((host, port))
                request = ("GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\nUser-Agent: nightjar-test\\r\\n\\r\\n" % path).encode()
                s.sendall(request)
                received = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    received += chunk
                s.close()
                print(received.split(b" ", 2)[1].decode(), len(request), len(received), flush=True)
            """;

    @Test
    void http10ResponsesInManyWritesAreCountedWithExactSizes(@TempDir Path dir) throws Exception {
        exchangesAreCountedWithExactSizes(dir, "127.0.0.1");
    }

    /** The same over IPv6 loopback: counts, sizes, the peer address and the connections' bytes. */
    @Test
    void ipv6LoopbackIsCountedLikeIpv4(@TempDir Path dir) throws Exception {
        ExternalPiece.require(
                java.net.NetworkInterface.networkInterfaces()
                        .flatMap(java.net.NetworkInterface::inetAddresses)
                        .anyMatch(a -> a instanceof java.net.Inet6Address && a.isLoopbackAddress()),
                "IPv6 loopback (::1)");
        List<String[]> exchanges = exchangesAreCountedWithExactSizes(dir, "::1");
        int port = Integer.parseInt(exchanges.getFirst()[3]);
        long clientPid = Long.parseLong(exchanges.getFirst()[4]);
        NetworkState.PeerStats client = await(() -> KernelSensor.get().network().peers().entrySet().stream()
                .filter(e -> e.getKey().pid() == clientPid
                        && e.getKey().port() == port
                        && e.getKey().role() == Role.CLIENT)
                .peek(e -> assertThat(java.net.InetAddress.ofLiteral(e.getKey().peerAddress()))
                        .isInstanceOf(java.net.Inet6Address.class)
                        .matches(java.net.InetAddress::isLoopbackAddress))
                .map(java.util.Map.Entry::getValue)
                .filter(s -> s.closed() == exchanges.size())
                .findFirst());
        assertThat(client.connectsEstablished()).isEqualTo(exchanges.size());
        assertThat(client.bytesSent()).isEqualTo(bytes(exchanges, null, 1));
        assertThat(client.bytesReceived()).isEqualTo(bytes(exchanges, null, 2));
    }

    /** Runs the client against the server on {@code host}; each exchange row ends with the port and the client's pid. */
    private static List<String[]> exchangesAreCountedWithExactSizes(Path dir, String host) throws Exception {
        Path python = Executables.find("python3").orElse(null);
        ExternalPiece.require(python != null, "python3 (Debian python3)");
        KernelSensor.get();
        int port = FreePorts.next();
        Path server = Files.writeString(dir.resolve("server.py"), SERVER);
        Path client = Files.writeString(dir.resolve("client.py"), CLIENT);
        Process serving = new ProcessBuilder(python.toString(), server.toString(), host, Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        try {
            KernelSensor.awaitListening(host, port, serving);
            Process asking = new ProcessBuilder(
                            python.toString(),
                            client.toString(),
                            host,
                            Integer.toString(port),
                            "/items/1",
                            "/items/2",
                            "/big",
                            "/gone",
                            "/items/3",
                            "/big",
                            "/gone")
                    .redirectErrorStream(true)
                    .start();
            List<String[]> exchanges = new String(asking.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .map(l -> l.split(" "))
                    .toList();
            assertThat(asking.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(exchanges)
                    .extracting(e -> e[0])
                    .containsExactly("200", "200", "200", "410", "200", "200", "410");

            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() -> Optional.of(calls("http", role, port, "GET", "410")).filter(s -> s.count() == 2));
                await(() -> Optional.of(calls("http", role, port, "GET", "200"))
                        .filter(s -> s.count() == 5 && s.responseBytes() == bytes(exchanges, "200", 2)));
                for (String status : List.of("200", "410")) {
                    L7State.CallStats s = calls("http", role, port, "GET", status);
                    assertThat(s.requestBytes()).as(role + " " + status).isEqualTo(bytes(exchanges, status, 1));
                    assertThat(s.responseBytes()).as(role + " " + status).isEqualTo(bytes(exchanges, status, 2));
                }
                assertThat(calls("http", role, port, "GET", "410").errors()).isZero();
            }
            assertThat(KernelSensor.get().l7().stats().keySet())
                    .filteredOn(k -> k.protocol().equals("http") && k.port() == port && k.role() == Role.SERVER)
                    .extracting(L7State.CallKey::target)
                    .containsExactlyInAnyOrder("/items/{id}", "/big", "/gone");
            Map<String, Object> served =
                    Map.of("network.protocol.name", "http", "nightjar.role", "server", "server.port", port);
            assertThat(KernelSensor.exportedSum("nightjar.l7.requests", served)).isEqualTo(7);
            assertThat(KernelSensor.exportedSum("nightjar.l7.response.size", served))
                    .isEqualTo(bytes(exchanges, null, 2));
            return exchanges.stream()
                    .map(e -> new String[] {e[0], e[1], e[2], Integer.toString(port), Long.toString(asking.pid())})
                    .toList();
        } finally {
            serving.destroy();
            serving.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long bytes(List<String[]> exchanges, String status, int column) {
        return exchanges.stream()
                .filter(e -> status == null || e[0].equals(status))
                .mapToLong(e -> Long.parseLong(e[column]))
                .sum();
    }
}
