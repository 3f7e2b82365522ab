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
            long self = ProcessHandle.current().pid();

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
                        assertThat(e.getKey().pid()).isEqualTo(self);
                        assertThat(e.getKey().peerAddress()).isEqualTo(host);
                        assertThat(e.getKey().target()).isIn("/pair/{id}", "/pair/gone");
                    })
                    .isNotEmpty();
            assertThat(KernelSensor.get().l7().stats().keySet())
                    .filteredOn(k -> k.port() == port && k.role() == Role.CLIENT)
                    .allSatisfy(k -> assertThat(k.pid()).isEqualTo(client.pid()));

            List<Sensor.LoopbackPair> pairs = KernelSensor.get().loopbackPairs().stream()
                    .filter(p -> p.clientPid() == client.pid())
                    .toList();
            if (address.equals(KernelSensor.LOOPBACK)) {
                assertThat(pairs).containsExactly(new Sensor.LoopbackPair((int) client.pid(), (int) self));
            } else {
                assertThat(pairs).isEmpty();
            }
        } finally {
            server.stop(0);
        }
    }
}
