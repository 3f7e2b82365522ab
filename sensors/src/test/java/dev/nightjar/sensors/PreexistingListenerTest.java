package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.ExternalPiece;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server that was listening before the sensor started: its accepted connections must count
 * against the process that owns the listening socket (found in /proc at start), as they do for a
 * listener the kernel programs saw open, and not against pid 0. This test starts its own sensor
 * (network only) after opening the socket; the shared one may have seen the listen() already.
 */
class PreexistingListenerTest {

    private static final int CONNECTIONS = 3;

    @Test
    void acceptsOnASocketListeningBeforeTheSensorCountAgainstItsOwner() throws Exception {
        Kernel kernel = Kernel.probe();
        ExternalPiece.require(kernel.root() && kernel.btf() && kernel.libbpf(), "root, kernel BTF and libbpf for eBPF");
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Sensor sensor = Sensor.start(EnumSet.of(Feature.NETWORK));
            try {
                assertThat(sensor.status().get(Feature.NETWORK).on()).isTrue();
                for (int i = 0; i < CONNECTIONS; i++) {
                    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                            Socket accepted = server.accept()) {
                        OutputStream out = client.getOutputStream();
                        out.write(hello);
                        out.flush();
                        InputStream in = accepted.getInputStream();
                        assertThat(in.readNBytes(hello.length)).isEqualTo(hello);
                    }
                }
                int owner = (int) ProcessHandle.current().pid();
                Map<NetworkState.PeerKey, NetworkState.PeerStats> served = awaitAccepted(sensor, port);
                assertThat(served.keySet())
                        .extracting(NetworkState.PeerKey::pid)
                        .containsOnly(owner);
                assertThat(served.values().stream()
                                .mapToLong(NetworkState.PeerStats::accepted)
                                .sum())
                        .isEqualTo(CONNECTIONS);
            } finally {
                sensor.close();
            }
        }
    }

    private static Map<NetworkState.PeerKey, NetworkState.PeerStats> awaitAccepted(Sensor sensor, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            sensor.refresh();
            Map<NetworkState.PeerKey, NetworkState.PeerStats> served = new java.util.HashMap<>();
            sensor.network().peers().forEach((k, v) -> {
                if (k.role() == Role.SERVER && k.port() == port && v.accepted() > 0) {
                    served.put(k, v);
                }
            });
            long accepted = served.values().stream()
                    .mapToLong(NetworkState.PeerStats::accepted)
                    .sum();
            if (accepted >= CONNECTIONS) {
                return served;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("accepts on port " + port + ": " + served);
            }
            KernelSensor.sleep(50);
        }
    }
}
