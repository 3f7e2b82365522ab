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

    /**
     * A client that sends its second command before the first one's reply (redis-cli --pipe writes
     * its closing ECHO so) completes both with that reply, possibly before the server has read the
     * second: a server deferring to it then would leave the second command's server end counted by
     * neither side. Here the server reads the second command only after the client has read the
     * first reply; both ends still count both commands.
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void aClientThatPipelinesBeforeTheEndsMeetLeavesNoEndUncounted(String address) throws Exception {
        KernelSensor.get();
        String host = KernelSensor.host(address);
        byte[] ping = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pong = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
        java.util.concurrent.CountDownLatch firstReplyRead = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 4, InetAddress.getByName(host))) {
            int port = listener.getLocalPort();
            java.util.concurrent.CompletableFuture<Void> served =
                    java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try (Socket s = listener.accept()) {
                            // One receive per command: the second stays queued until the client
                            // has read the first reply.
                            assertThat(s.getInputStream().readNBytes(ping.length))
                                    .isEqualTo(ping);
                            s.getOutputStream().write(pong);
                            assertThat(firstReplyRead.await(10, TimeUnit.SECONDS))
                                    .isTrue();
                            assertThat(s.getInputStream().readNBytes(ping.length))
                                    .isEqualTo(ping);
                            s.getOutputStream().write(pong);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            try (Socket s = new Socket(host, port)) {
                s.getOutputStream().write(ping);
                s.getOutputStream().write(ping); // before the first reply
                assertThat(s.getInputStream().readNBytes(pong.length)).isEqualTo(pong);
                firstReplyRead.countDown();
                assertThat(s.getInputStream().readNBytes(pong.length)).isEqualTo(pong);
            }
            served.get(10, TimeUnit.SECONDS);
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() ->
                        Optional.of(calls("redis", role, port, "PING", null)).filter(c -> c.count() == 2));
            }
            KernelSensor.sleep(500);
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                assertThat(calls("redis", role, port, "PING", null).count())
                        .as(role + "\n" + KernelSensor.l7Seen(port))
                        .isEqualTo(2);
            }
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
