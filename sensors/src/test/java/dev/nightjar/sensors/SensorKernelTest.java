package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.sensors.NetworkState.Connection;
import dev.nightjar.sensors.NetworkState.PeerKey;
import dev.nightjar.sensors.NetworkState.PeerStats;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real traffic with known totals against the real kernel; asserts what the sensor reports. */
class SensorKernelTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PID = (int) ProcessHandle.current().pid();
    private static Sensor sensor;

    @BeforeAll
    static void startSensor() {
        sensor = KernelSensor.get();
    }

    /**
     * Open connections: their bytes live in socket storage and are read through the sockbytes
     * iterator; both ends are exact while the connection stays open, and again after more traffic.
     */
    @Test
    void bytesOfOpenConnectionsAreExact() throws Exception {
        try (ServerSocket server = KernelSensor.unseenServer(1);
                Socket client = new Socket(LOOPBACK, server.getLocalPort());
                Socket accepted = server.accept()) {
            int port = server.getLocalPort();
            client.getOutputStream().write(new byte[77_777]);
            accepted.getInputStream().readNBytes(77_777);
            accepted.getOutputStream().write(new byte[333]);
            client.getInputStream().readNBytes(333);
            awaitOpen(port, Role.CLIENT, 77_777, 333);
            awaitOpen(port, Role.SERVER, 333, 77_777);

            client.getOutputStream().write(new byte[1_000_001]);
            accepted.getInputStream().readNBytes(1_000_001);
            awaitOpen(port, Role.CLIENT, 77_777 + 1_000_001, 333);
            awaitOpen(port, Role.SERVER, 333, 77_777 + 1_000_001);
        }
    }

    private static void awaitOpen(int port, Role role, long sent, long received) {
        Connection c = await(() -> sensor.network().connections().stream()
                .filter(x -> x.open()
                        && x.role() == role
                        && (role == Role.CLIENT
                                        ? x.tuple().destinationPort()
                                        : x.tuple().sourcePort())
                                == port
                        && x.bytesSent() == sent
                        && x.bytesReceived() == received)
                .findFirst());
        assertThat(c.pid()).isEqualTo(PID);
    }

    @Test
    void bytesPerConnectionAndProcessAreExact() throws Exception {
        int requestBytes = 1_234_567;
        int replyBytes = 4_321;
        try (ServerSocket server = KernelSensor.unseenServer(1)) {
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    long total = 0;
                    byte[] buf = new byte[65536];
                    while (total < requestBytes) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        total += n;
                    }
                    s.getOutputStream().write(new byte[replyBytes]);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
                client.getOutputStream().write(new byte[requestBytes]);
                client.getInputStream().readNBytes(replyBytes);
            }
            serverSide.join();
            int port = server.getLocalPort();

            Connection clientSide = await(() -> sensor.network().connections().stream()
                    .filter(c ->
                            !c.open() && c.role() == Role.CLIENT && c.tuple().destinationPort() == port)
                    .findFirst());
            assertThat(clientSide.pid()).isEqualTo(PID);
            assertThat(clientSide.bytesSent()).isEqualTo(requestBytes);
            assertThat(clientSide.bytesReceived()).isEqualTo(replyBytes);

            Connection serverConn = await(() -> sensor.network().connections().stream()
                    .filter(c ->
                            !c.open() && c.role() == Role.SERVER && c.tuple().sourcePort() == port)
                    .findFirst());
            assertThat(serverConn.pid()).isEqualTo(PID);
            assertThat(serverConn.bytesSent()).isEqualTo(replyBytes);
            assertThat(serverConn.bytesReceived()).isEqualTo(requestBytes);

            PeerStats asClient = sensor.network().peers().get(new PeerKey(PID, "127.0.0.1", port, Role.CLIENT));
            assertThat(asClient.connectsEstablished()).isEqualTo(1);
            assertThat(asClient.closed()).isEqualTo(1);
            assertThat(asClient.bytesSent()).isEqualTo(requestBytes);
            PeerStats asServer = sensor.network().peers().get(new PeerKey(PID, "127.0.0.1", port, Role.SERVER));
            assertThat(asServer.accepted()).isEqualTo(1);
            assertThat(asServer.bytesReceived()).isEqualTo(requestBytes);
            var metrics = new dev.nightjar.sensors.export.SensorMetrics(
                            sensor, "test-node", 0, new dev.nightjar.sensors.export.ExportStats())
                    .collect(System.currentTimeMillis() * 1_000_000L);
            var sent = metrics.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
                    .filter(m -> m.getName().equals("nightjar.tcp.bytes"))
                    .flatMap(m -> m.getSum().getDataPointsList().stream())
                    .filter(d -> d.getAttributesList().stream()
                            .anyMatch(a -> a.getKey().equals("server.port")
                                    && a.getValue().getIntValue() == port))
                    .filter(d -> d.getAttributesList().stream()
                            .anyMatch(a -> a.getKey().equals("nightjar.role")
                                    && a.getValue().getStringValue().equals("client")))
                    .filter(d -> d.getAttributesList().stream()
                            .anyMatch(a -> a.getKey().equals("direction")
                                    && a.getValue().getStringValue().equals("sent")))
                    .toList();
            assertThat(sent)
                    .singleElement()
                    .satisfies(d -> assertThat(d.getAsInt()).isEqualTo(requestBytes));
            assertThat(sensor.network().listeners()).contains(new NetworkState.Listener(PID, "127.0.0.1", port));
        }
    }

    @Test
    void connectToClosedPortIsCountedAsRefusedWithReset() {
        int port = FreePorts.next();
        assertThatThrownBy(() -> new Socket(LOOPBACK, port).close()).isInstanceOf(ConnectException.class);

        PeerKey key = new PeerKey(PID, "127.0.0.1", port, Role.CLIENT);
        PeerStats stats = await(
                () -> Optional.ofNullable(sensor.network().peers().get(key)).filter(s -> s.connectsRefused() == 1));
        assertThat(stats.connectsEstablished()).isZero();
        assertThat(stats.resetsReceived()).isEqualTo(1);
    }

    @Test
    void resetsAreSeenOnBothSides() throws Exception {
        try (ServerSocket server = KernelSensor.unseenServer(1)) {
            int port = server.getLocalPort();
            try (Socket client = new Socket(LOOPBACK, port)) {
                try (Socket accepted = server.accept()) {
                    accepted.setSoLinger(true, 0); // close with RST instead of FIN
                }
                assertThatThrownBy(() -> {
                            client.getOutputStream().write(1);
                            client.getInputStream().read();
                        })
                        .isInstanceOf(SocketException.class);
            }
            await(() -> Optional.ofNullable(
                            sensor.network().peers().get(new PeerKey(PID, "127.0.0.1", port, Role.SERVER)))
                    .filter(s -> s.resetsSent() == 1));
            await(() -> Optional.ofNullable(
                            sensor.network().peers().get(new PeerKey(PID, "127.0.0.1", port, Role.CLIENT)))
                    .filter(s -> s.resetsReceived() == 1));
        }
    }

    @Test
    void childExitCodeAndSignalAreReported() throws Exception {
        Process exit3 = new ProcessBuilder("/bin/sh", "-c", "exit 3").start();
        assertThat(exit3.waitFor()).isEqualTo(3);
        Process killed = new ProcessBuilder("/bin/sh", "-c", "kill -9 $$").start();
        killed.waitFor();

        ProcessState.Exit exit = await(() -> sensor.processes().recentExits().stream()
                .filter(e -> e.pid() == exit3.pid())
                .findFirst());
        assertThat(exit.status()).isEqualTo(3);
        assertThat(exit.signal()).isZero();
        assertThat(exit.executable()).isEqualTo("/bin/sh");
        ProcessState.Exit kill = await(() -> sensor.processes().recentExits().stream()
                .filter(e -> e.pid() == killed.pid())
                .findFirst());
        assertThat(kill.signal()).isEqualTo(9);

        // /bin/sh started again after exiting: a restart of that executable in its container.
        ProcessState.ExecutableStats sh = await(() -> Optional.ofNullable(sensor.processes()
                        .executables()
                        .get(new ProcessState.ExecutableKey("/bin/sh", exit.container())))
                .filter(s -> s.exits() >= 2));
        assertThat(sh.restarts()).isPositive();
        assertThat(sh.failedExits()).isPositive();
        assertThat(sh.signalled()).isPositive();
    }

    @Test
    void hostnameResolvedThroughGetaddrinfoNamesTheDestination() throws Exception {
        Process getent = new ProcessBuilder("getent", "ahostsv4", "localhost").start();
        String out = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(getent.waitFor()).isZero();
        assertThat(out).contains("127.0.0.1");

        String name = await(() -> sensor.hostnames().nameOf("127.0.0.1"));
        assertThat(name).isEqualTo("localhost");
        assertThat(sensor.hostnames().names().keySet())
                .anyMatch(k -> k.pid() == getent.pid() && k.name().equals("localhost") && k.ok());
    }

    @Test
    void httpRequestCountsAndStatusCodesAreExact() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/items", exchange -> {
            byte[] body = "item".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        long began = System.nanoTime();
        long elapsed;
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(get(port, "/items/" + (1000 + i))).startsWith("HTTP/1.1 200");
            }
            for (int i = 0; i < 3; i++) {
                assertThat(get(port, "/missing?q=" + i)).startsWith("HTTP/1.1 404");
            }
            elapsed = System.nanoTime() - began;
        } finally {
            server.stop(0);
        }
        L7State.CallKey ok =
                new L7State.CallKey(PID, "http", Role.CLIENT, "127.0.0.1", port, "GET", "/items/{id}", "200");
        L7State.CallKey missing =
                new L7State.CallKey(PID, "http", Role.CLIENT, "127.0.0.1", port, "GET", "/missing", "404");
        await(() -> Optional.ofNullable(sensor.l7().stats().get(missing)).filter(s -> s.count() == 3));
        assertThat(sensor.l7().stats().get(ok).count()).isEqualTo(5);
        // Server errors always become spans; the first exchange of each key is sampled too.
        assertThat(sensor.l7().drainCalls())
                .anyMatch(c -> c.key().equals(ok))
                .anyMatch(c -> c.key().equals(missing));
        L7State.CallKey served =
                new L7State.CallKey(PID, "http", Role.SERVER, "127.0.0.1", port, "GET", "/items/{id}", "200");
        L7State.CallStats servedStats =
                await(() -> Optional.ofNullable(sensor.l7().stats().get(served)).filter(s -> s.count() == 5));
        // Each side times an exchange with one clock read and the socket's TCP arrival clock: both
        // must be the same clock, so the latencies are positive and fit in the time the requests took.
        for (L7State.CallStats stats :
                new L7State.CallStats[] {sensor.l7().stats().get(ok), servedStats}) {
            assertThat(stats.latencySecondsSum()).isPositive().isLessThanOrEqualTo(elapsed / 1e9);
        }
    }

    @Test
    void syscallLatencyIsHistogrammedPerProcess(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("data");
        java.nio.file.Files.write(file, new byte[64]);
        int reads = 500;
        try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
            for (int i = 0; i < reads; i++) {
                in.getChannel().position(0);
                assertThat(in.read(new byte[64])).isEqualTo(64);
            }
        }
        dev.nightjar.sensors.event.SyscallLatency read = await(() -> sensor.syscalls().stream()
                .filter(s -> s.pid() == PID && s.syscall().equals("read") && s.count() >= reads)
                .findFirst());
        assertThat(java.util.Arrays.stream(read.slots()).sum()).isEqualTo(read.count());
    }

    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Events arrive asynchronously through the ring buffer; wait for them, don't time them. */
    static <T> T await(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            sensor.refresh();
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sensor did not report it within 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
