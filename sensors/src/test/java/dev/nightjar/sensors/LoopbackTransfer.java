package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/** Raw TCP on loopback with a known byte total, and what the sensor counted for it. */
final class LoopbackTransfer {

    private LoopbackTransfer() {}

    /** One connection to {@code server} that sends exactly {@code bytes}, all of them read by the server side. */
    static void send(ServerSocket server, long bytes) throws Exception {
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                return in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            client.getOutputStream().write(new byte[(int) bytes]);
        }
        assertThat(drained.get()).isEqualTo(bytes);
    }

    /** Bytes the sensor counts as sent by clients to {@code port}, over every process. */
    static long clientBytes(Sensor sensor, int port) {
        return sensor.network().peers().entrySet().stream()
                .filter(e -> e.getKey().role() == Role.CLIENT && e.getKey().port() == port)
                .mapToLong(e -> e.getValue().bytesSent())
                .sum();
    }
}
