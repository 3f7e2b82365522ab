package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On loopback the client's socket counts both ends of an exchange and the server's socket skips
 * L7 (bpf/src/loopback.h); on any other address each end counts its own. Either way each end's
 * series are the same: exact counts, the server under its own pid, port and peer.
 */
class LoopbackPairingTest {

    private static final int REQUESTS = 7;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void eachEndIsCountedOnceWhoeverParsesIt(String address) throws Exception {
        Path curl = Executables.find("curl").orElse(null);
        ExternalPiece.require(curl != null, "curl (Debian curl)");
        KernelSensor.get();
        String host = KernelSensor.host(address);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 16);
        server.createContext("/pair", exchange -> {
            byte[] body = "paired\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("/gone") ? 410 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try {
            List<String> command = new ArrayList<>(List.of(curl.toString(), "-s"));
            for (int i = 0; i < REQUESTS; i++) {
                command.addAll(List.of("-o", "/dev/null", "http://" + host + ":" + port + "/pair/" + i));
            }
            command.addAll(List.of("-o", "/dev/null", "http://" + host + ":" + port + "/pair/gone"));
            Process client =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();

            await(() ->
                    Optional.of(calls("http", Role.SERVER, port, "GET", "410")).filter(c -> c.count() == 1));
            await(() ->
                    Optional.of(calls("http", Role.CLIENT, port, "GET", "410")).filter(c -> c.count() == 1));
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                assertThat(calls("http", role, port, "GET", "200").count())
                        .as(role.name())
                        .isEqualTo(REQUESTS);
            }
            assertThat(KernelSensor.get().l7().stats().entrySet())
                    .filteredOn(e -> e.getKey().port() == port && e.getKey().role() == Role.SERVER)
                    .allSatisfy(e -> {
                        assertThat(e.getKey().pid())
                                .isEqualTo(ProcessHandle.current().pid());
                        assertThat(e.getKey().peerAddress()).isEqualTo(host);
                        assertThat(e.getKey().target()).isIn("/pair/{id}", "/pair/gone");
                    })
                    .isNotEmpty();
            assertThat(KernelSensor.get().l7().stats().keySet())
                    .filteredOn(k -> k.port() == port && k.role() == Role.CLIENT)
                    .allSatisfy(k -> assertThat(k.pid()).isEqualTo(client.pid()));

            long self = ProcessHandle.current().pid();
            if (address.equals(KernelSensor.LOOPBACK)) {
                // While a connection is open its pair is in the kernel's table (this JVM is both
                // ends here); when it closes, the entry goes, as curl's went.
                int clientPort;
                try (Socket s = new Socket(host, port)) {
                    clientPort = s.getLocalPort();
                    String request = "GET /pair/live HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
                    for (int i = 0; i < 2; i++) {
                        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                        readBody(s);
                    }
                    Sensor.LoopbackPair live = new Sensor.LoopbackPair((int) self, (int) self, clientPort, port);
                    await(() -> Optional.of(pairsTo(port)).filter(p -> p.contains(live)));
                }
                await(() -> Optional.of(pairsTo(port)).filter(List::isEmpty));
            } else {
                assertThat(pairsTo(port)).isEmpty();
            }
        } finally {
            server.stop(0);
        }
    }

    private static List<Sensor.LoopbackPair> pairsTo(int serverPort) {
        return KernelSensor.get().loopbackPairs().stream()
                .filter(p -> p.serverPort() == serverPort)
                .toList();
    }

    /** Reads one response of the test's handler, whose body ends the response. */
    private static void readBody(Socket s) throws java.io.IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!got.toString().endsWith("paired\n")) {
            int n = s.getInputStream().read(buf);
            assertThat(n).isPositive();
            got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
    }
}
