package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One address resolved under two names (as 127.0.0.1 is "localhost" and the host's own name): a
 * connection's exported series keeps the name it was first exported with, so its cumulative counters
 * are not split over two series, while a new connection takes the latest name. The server listens
 * on a loopback address of its own so no other test's names are involved.
 */
class PeerNameTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final String ADDRESS = "127.0.0.23";

    @Test
    void aSeriesKeepsItsPeerNameWhenTheAddressIsResolvedUnderAnother() throws Exception {
        Sensor sensor = KernelSensor.get();
        InetAddress address = InetAddress.getByName(ADDRESS);
        try (ServerSocket first = new ServerSocket(0, 8, address);
                ServerSocket second = new ServerSocket(0, 8, address)) {
            sensor.hostnames().learn(ADDRESS, "first.peer.test");
            exchange(first, address, 10);
            Map<String, Object> firstSeries = sent(first.getLocalPort());
            long named = await(() -> Optional.of(KernelSensor.exportedSum(
                            "nightjar.tcp.bytes", with(firstSeries, "network.peer.name", "first.peer.test")))
                    .filter(n -> n >= 10));
            assertThat(named).isEqualTo(10);

            sensor.hostnames().learn(ADDRESS, "second.peer.test");
            exchange(second, address, 7);
            Map<String, Object> secondSeries = sent(second.getLocalPort());
            long renamed = await(() -> Optional.of(KernelSensor.exportedSum(
                            "nightjar.tcp.bytes", with(secondSeries, "network.peer.name", "second.peer.test")))
                    .filter(n -> n >= 7));
            assertThat(renamed).isEqualTo(7);

            // The first connection's series is still the one named first: no second series of it.
            assertThat(KernelSensor.exportedSum(
                            "nightjar.tcp.bytes", with(firstSeries, "network.peer.name", "first.peer.test")))
                    .isEqualTo(10);
            assertThat(KernelSensor.exportedSum("nightjar.tcp.bytes", firstSeries))
                    .isEqualTo(10);
        }
    }

    private static Map<String, Object> sent(int port) {
        return Map.of(
                "process.pid", PID,
                "network.peer.address", ADDRESS,
                "server.port", port,
                "nightjar.role", "client",
                "direction", "sent");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }

    private static void exchange(ServerSocket server, InetAddress address, int bytes) throws Exception {
        CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                return in.readAllBytes().length;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Socket client = new Socket(address, server.getLocalPort());
                OutputStream out = client.getOutputStream()) {
            out.write(new byte[bytes]);
        }
        assertThat(received.get()).isEqualTo(bytes);
    }
}
