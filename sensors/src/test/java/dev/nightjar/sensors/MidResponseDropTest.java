package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.NetworkState.PeerKey;
import dev.nightjar.sensors.NetworkState.PeerStats;
import dev.nightjar.sensors.event.Role;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A loopback server that reads each request and then closes without answering (FIN), resets
 * (RST), or answers in full and closes: the first two are mid-response drops, the third is not.
 */
class MidResponseDropTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final byte[] REQUEST =
            "GET /orders/17 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Ending {
        CLOSE,
        RESET,
        ANSWER
    }

    @Test
    void peerClosingOrResettingBeforeAnyResponseIsADropAndAnAnswerIsNot() throws Exception {
        KernelSensor.get();
        try (ServerSocket server = KernelSensor.unseenServer(8)) {
            int port = server.getLocalPort();
            exchange(server, Ending.ANSWER);
            exchange(server, Ending.CLOSE);
            exchange(server, Ending.RESET);
            exchange(server, Ending.ANSWER);
            exchange(server, Ending.CLOSE);

            PeerKey key = new PeerKey(PID, "127.0.0.1", port, Role.CLIENT);
            PeerStats stats = await(() -> Optional.ofNullable(
                            KernelSensor.get().network().peers().get(key))
                    .filter(s -> s.closed() == 5 && s.midResponseDrops() >= 3));
            assertThat(stats.midResponseDrops()).isEqualTo(3);
            assertThat(stats.resetsReceived()).isEqualTo(1);
            assertThat(KernelSensor.exportedSum(
                            "nightjar.tcp.mid_response_drops",
                            Map.of("process.pid", (long) PID, "server.port", port, "nightjar.role", "client")))
                    .isEqualTo(3);
        }
    }

    private static void exchange(ServerSocket server, Ending ending) throws Exception {
        CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                byte[] got = in.readNBytes(REQUEST.length);
                assertThat(got).isEqualTo(REQUEST);
                switch (ending) {
                    case CLOSE -> {}
                    case RESET -> s.setSoLinger(true, 0);
                    case ANSWER ->
                        s.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                        .getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
            client.getOutputStream().write(REQUEST);
            serverSide.join();
            try {
                byte[] answer = client.getInputStream().readAllBytes();
                assertThat(answer.length > 0).isEqualTo(ending == Ending.ANSWER);
            } catch (IOException e) {
                assertThat(ending).isEqualTo(Ending.RESET); // "connection reset"
            }
        }
    }
}
