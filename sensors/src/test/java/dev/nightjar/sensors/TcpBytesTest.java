package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.NetworkState.Connection;
import dev.nightjar.sensors.event.Role;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes come from the kernel's per-socket counters, which count the peer's FIN as one
 * received sequence number and retransmissions as sent bytes: every way a connection ends must
 * still report exactly the payload each side sent and received, open or closed.
 */
class TcpBytesTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PID = (int) ProcessHandle.current().pid();

    /** The server closes first: the client sits in CLOSE_WAIT with the FIN received, then closes. */
    @Test
    void peerClosingFirstDoesNotCountItsFin() throws Exception {
        try (ServerSocket server = KernelSensor.unseenServer(1)) {
            int port = server.getLocalPort();
            try (Socket client = new Socket(LOOPBACK, port)) {
                try (Socket accepted = server.accept()) {
                    client.getOutputStream().write(new byte[5_000]);
                    accepted.getInputStream().readNBytes(5_000);
                    accepted.getOutputStream().write(new byte[70_001]);
                }
                InputStream in = client.getInputStream();
                assertThat(in.readNBytes(70_001)).hasSize(70_001);
                assertThat(in.read()).isEqualTo(-1); // the FIN arrived
                // Still open on the client's side, FIN received: not a byte.
                open(port, Role.CLIENT, 5_000, 70_001);
            }
            closed(port, Role.CLIENT, 5_000, 70_001);
            closed(port, Role.SERVER, 70_001, 5_000);
        }
    }

    /** A reset after a complete exchange: no FIN either way, the data before it counted once. */
    @Test
    void aResetAfterDataKeepsTheBytesExact() throws Exception {
        try (ServerSocket server = KernelSensor.unseenServer(1)) {
            int port = server.getLocalPort();
            try (Socket client = new Socket(LOOPBACK, port);
                    Socket accepted = server.accept()) {
                client.getOutputStream().write(new byte[1_234]);
                accepted.getInputStream().readNBytes(1_234);
                accepted.getOutputStream().write(new byte[4_321]);
                client.getInputStream().readNBytes(4_321);
                client.setSoLinger(true, 0); // close with RST instead of FIN
            }
            closed(port, Role.CLIENT, 1_234, 4_321);
            closed(port, Role.SERVER, 4_321, 1_234);
        }
    }

    /** The client half-closes (its FIN first), then the server answers and closes. */
    @Test
    void aHalfCloseCountsBothDirections() throws Exception {
        try (ServerSocket server = KernelSensor.unseenServer(1)) {
            int port = server.getLocalPort();
            try (Socket client = new Socket(LOOPBACK, port);
                    Socket accepted = server.accept()) {
                client.getOutputStream().write(new byte[999]);
                client.shutdownOutput();
                assertThat(accepted.getInputStream().readAllBytes()).hasSize(999);
                accepted.getOutputStream().write(new byte[12_345]);
                open(port, Role.SERVER, 12_345, 999);
                accepted.shutdownOutput();
                assertThat(client.getInputStream().readAllBytes()).hasSize(12_345);
            }
            closed(port, Role.CLIENT, 999, 12_345);
            closed(port, Role.SERVER, 12_345, 999);
        }
    }

    private static void open(int port, Role role, long sent, long received) {
        Connection c = await(() -> find(port, role, true, sent, received));
        assertThat(c.pid()).isEqualTo(PID);
    }

    private static void closed(int port, Role role, long sent, long received) {
        Connection c = await(() -> KernelSensor.get().network().connections().stream()
                .filter(x -> !x.open() && x.role() == role && localOrRemotePort(x, role) == port)
                .findFirst());
        assertThat(c.bytesSent()).as("sent").isEqualTo(sent);
        assertThat(c.bytesReceived()).as("received").isEqualTo(received);
        assertThat(c.pid()).isEqualTo(PID);
    }

    private static Optional<Connection> find(int port, Role role, boolean open, long sent, long received) {
        return KernelSensor.get().network().connections().stream()
                .filter(x -> x.open() == open
                        && x.role() == role
                        && localOrRemotePort(x, role) == port
                        && x.bytesSent() == sent
                        && x.bytesReceived() == received)
                .findFirst();
    }

    private static int localOrRemotePort(Connection c, Role role) {
        return role == Role.CLIENT ? c.tuple().destinationPort() : c.tuple().sourcePort();
    }
}
