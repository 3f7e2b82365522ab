package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's memcached, driven by a client written for the test over its text protocol, with known
 * numbers of each command and reply. Memcached is the protocol added as one parser class
 * ({@code l7/MemcachedParser}): the kernel knows it only by the signatures that class declares.
 */
class MemcachedTrafficTest {

    private static final int SETS = 6;
    private static final int HITS = 4;
    private static final int MISSES = 3;
    private static final int BAD_INCRS = 2;

    /** Debian's memcached on a free port of {@code address} (16 MB, no UDP), stopped on close. */
    private record Memcached(String host, int port, Process process) implements AutoCloseable {

        static Memcached start(String address) throws IOException, InterruptedException {
            Path server = Executables.find("memcached").orElse(null);
            ExternalPiece.require(server != null, "memcached (Debian memcached)");
            KernelSensor.get();
            String host = KernelSensor.host(address);
            int port = FreePorts.next();
            Process process = new ProcessBuilder(
                            server.toString(),
                            "-p",
                            Integer.toString(port),
                            "-l",
                            host,
                            "-U",
                            "0",
                            "-m",
                            "16",
                            "-u",
                            System.getProperty("user.name"))
                    .redirectErrorStream(true)
                    .start();
            Memcached memcached = new Memcached(host, port, process);
            try {
                KernelSensor.awaitListening(host, port, process);
            } catch (AssertionError e) {
                memcached.close();
                throw e;
            }
            return memcached;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends {@code request} in one write and reads until the reply ends with {@code last}. */
    private static String exchange(Socket s, String request, String last) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder reply = new StringBuilder();
        byte[] buf = new byte[8192];
        while (!reply.toString().endsWith(last)) {
            int n = in.read(buf);
            assertThat(n).as("reply so far: " + reply).isPositive();
            reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return reply.toString();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void commandsAndPipelinesAreCountedPerCommandAndReply(String address) throws Exception {
        try (Memcached memcached = Memcached.start(address)) {
            String host = memcached.host();
            int port = memcached.port();
            try (Socket s = new Socket(host, port)) {
                for (int i = 0; i < SETS; i++) {
                    assertThat(exchange(s, "set key" + i + " 0 0 6\r\nvalue" + i + "\r\n", "\r\n"))
                            .isEqualTo("STORED\r\n");
                }
                for (int i = 0; i < HITS; i++) {
                    assertThat(exchange(s, "get key" + i + "\r\n", "END\r\n")).startsWith("VALUE key" + i);
                }
                for (int i = 0; i < MISSES; i++) {
                    assertThat(exchange(s, "get absent" + i + "\r\n", "END\r\n"))
                            .isEqualTo("END\r\n");
                }
                for (int i = 0; i < BAD_INCRS; i++) {
                    assertThat(exchange(s, "incr key0 1\r\n", "\r\n")).startsWith("CLIENT_ERROR");
                }
                assertThat(exchange(s, "delete key5\r\n", "\r\n")).isEqualTo("DELETED\r\n");
                assertThat(exchange(s, "delete key5\r\n", "\r\n")).isEqualTo("NOT_FOUND\r\n");
                // No reply, so nothing to count; the next exchange must still pair correctly.
                s.getOutputStream().write("set quiet 0 0 1 noreply\r\nq\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(exchange(s, "get quiet\r\n", "END\r\n")).startsWith("VALUE quiet");

                // A pipeline: five commands in one write, their replies read together.
                String replies =
                        exchange(s, "get key1\r\nget key2\r\nget gone\r\nset batch 0 0 2\r\nok\r\nmn\r\n", "MN\r\n");
                assertThat(replies).endsWith("END\r\nSTORED\r\nMN\r\n");
            }
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() ->
                        Optional.of(calls("memcached", role, port, "MN", null)).filter(c -> c.count() == 1));
                assertThat(calls("memcached", role, port, "SET", null).count())
                        .as(() -> role + "\n" + KernelSensor.l7Seen(port))
                        .isEqualTo(SETS + 1);
                assertThat(calls("memcached", role, port, "GET", null).count()).isEqualTo(HITS + MISSES + 1 + 3);
                assertThat(calls("memcached", role, port, "INCR", "CLIENT_ERROR")
                                .errors())
                        .isEqualTo(BAD_INCRS);
                assertThat(calls("memcached", role, port, "DELETE", "DELETED").count())
                        .isEqualTo(1);
                assertThat(calls("memcached", role, port, "DELETE", "NOT_FOUND").count())
                        .isEqualTo(1);
                assertThat(calls("memcached", role, port, "SET", null).errors()).isZero();
                assertThat(calls("memcached", role, port, "GET", null).latencySecondsSum())
                        .isPositive();
            }
            // Exchanges one at a time carry their reply's status on both sides. The pipeline's
            // first reply does too; the later ones have theirs where they are read together with
            // it (memcached writes each in its own sendmsg, so that depends on timing), else "OK".
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                assertThat(calls("memcached", role, port, "SET", "STORED").count())
                        .as(() -> role + "\n" + KernelSensor.l7Seen(port))
                        .isBetween((long) SETS, SETS + 1L);
                assertThat(calls("memcached", role, port, "GET", "HIT").count()).isBetween(HITS + 2L, HITS + 3L);
                assertThat(calls("memcached", role, port, "GET", "MISS").count())
                        .isBetween((long) MISSES, MISSES + 1L);
            }
            Map<String, Object> served =
                    Map.of("network.protocol.name", "memcached", "nightjar.role", "server", "server.port", port);
            long requests = SETS + HITS + MISSES + BAD_INCRS + 2 + 1 + 5;
            assertThat(KernelSensor.exportedSum("nightjar.l7.requests", served)).isEqualTo(requests);
            assertThat(KernelSensor.exportedSum("nightjar.l7.errors", served)).isEqualTo(BAD_INCRS);
        }
    }

    /**
     * A client that writes with writev, one vector per command line and value (a gathering write):
     * the kernel copies every vector of the syscall, not just the first, so each command counts,
     * with its reply's status.
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void aGatheringWriteIsCapturedAcrossItsVectors(String address) throws Exception {
        try (Memcached memcached = Memcached.start(address)) {
            String host = memcached.host();
            int port = memcached.port();
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port))) {
                assertThat(writev(channel, "STORED\r\n", "set gathered 0 0 5\r\n", "hello", "\r\n"))
                        .isEqualTo("STORED\r\n");
                assertThat(writev(
                                channel,
                                "MN\r\n",
                                "get gathered\r\n",
                                "get nothing\r\n",
                                "incr gathered 1\r\n",
                                "mn\r\n"))
                        .isEqualTo("VALUE gathered 0 5\r\nhello\r\nEND\r\nEND\r\n"
                                + "CLIENT_ERROR cannot increment or decrement non-numeric value\r\nMN\r\n");
            }
            // Every command counts, from the vectors after the first too. The replies carry their
            // own status when the client reads them together; memcached writes each in its own
            // sendmsg, and a reply read on its own after the first counts as "OK".
            await(() -> Optional.of(calls("memcached", Role.CLIENT, port, "MN", null))
                    .filter(c -> c.count() == 1));
            assertThat(calls("memcached", Role.CLIENT, port, "SET", "STORED").count())
                    .as(() -> KernelSensor.l7Seen(port))
                    .isEqualTo(1);
            assertThat(calls("memcached", Role.CLIENT, port, "GET", "HIT").count())
                    .isEqualTo(1);
            assertThat(calls("memcached", Role.CLIENT, port, "GET", null).count())
                    .isEqualTo(2);
            assertThat(calls("memcached", Role.CLIENT, port, "INCR", null).count())
                    .isEqualTo(1);
            assertThat(calls("memcached", Role.SERVER, port, "GET", null).count())
                    .isEqualTo(2);
            assertThat(calls("memcached", Role.SERVER, port, "INCR", null).count())
                    .isEqualTo(1);
            assertThat(calls("memcached", Role.SERVER, port, "MN", null).count())
                    .isEqualTo(1);
        }
    }

    /** Writes {@code vectors} in one gathering write and reads until the reply ends with {@code last}. */
    private static String writev(SocketChannel channel, String last, String... vectors) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            buffers[i] = ByteBuffer.wrap(vectors[i].getBytes(StandardCharsets.US_ASCII));
        }
        while (buffers[buffers.length - 1].hasRemaining()) {
            channel.write(buffers);
        }
        StringBuilder reply = new StringBuilder();
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (!reply.toString().endsWith(last)) {
            in.clear();
            assertThat(channel.read(in)).as("reply so far: " + reply).isPositive();
            reply.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
        }
        return reply.toString();
    }
}
