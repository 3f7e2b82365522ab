package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.DnsQueries.QueryKey;
import dev.nightjar.sensors.DnsQueries.QueryStats;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS seen on UDP port 53 without getaddrinfo: a tiny DNS server written for the test on a
 * loopback address, asked by a hand-written client in this JVM (as Go would: no libc
 * resolver), by dig, and by glibc's resolver through getent (in a private mount namespace whose
 * /etc/resolv.conf points at the test server).
 */
class DnsWireTest {

    private static final byte[] ANSWER_ADDRESS = {(byte) 192, 0, 2, 77};

    @Test
    void answersNameAddressesAndErrorsAndTimeoutsAreCountedPerProcess(@TempDir Path dir) throws Exception {
        KernelSensor.get();
        // A random 127/8 address: port 53 on it is free even where a local resolver listens.
        InetAddress serverAddress = InetAddress.getByAddress(new byte[] {
            127,
            53,
            (byte) ThreadLocalRandom.current().nextInt(1, 255),
            (byte) ThreadLocalRandom.current().nextInt(1, 255)
        });
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(serverAddress, 53))) {
            Thread serving = Thread.ofPlatform().daemon().start(() -> serve(server));
            int pid = (int) ProcessHandle.current().pid();
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(2000);
                assertThat(ask(client, server, 0x1001, "ok.nightjar.test")).isEqualTo(0);
                assertThat(ask(client, server, 0x1002, "missing.nightjar.test")).isEqualTo(3);
                assertThat(ask(client, server, 0x1003, "missing.nightjar.test")).isEqualTo(3);
                assertThat(ask(client, server, 0x1004, "broken.nightjar.test")).isEqualTo(2);
                assertThat(ask(client, server, 0x1005, "silent.nightjar.test")).isEqualTo(-1);
            }

            assertThat(await(() -> stats(pid, "missing.nightjar.test", "nxdomain"))
                            .queries())
                    .isEqualTo(2);
            QueryStats ok = stats(pid, "ok.nightjar.test", "ok").orElseThrow();
            assertThat(ok.queries()).isEqualTo(1);
            assertThat(ok.latencyNanos()).isPositive();
            assertThat(stats(pid, "broken.nightjar.test", "servfail")
                            .orElseThrow()
                            .queries())
                    .isEqualTo(1);
            assertThat(await(() -> KernelSensor.get().hostnames().nameOf("192.0.2.77")))
                    .isEqualTo("ok.nightjar.test");
            // Nobody answered: counted as a timeout once the resolver timeout has passed.
            assertThat(await(() -> stats(pid, "silent.nightjar.test", "timeout"))
                            .queries())
                    .isEqualTo(1);
            assertThat(KernelSensor.exportedSum(
                            "nightjar.dns.queries",
                            Map.of(
                                    "process.pid",
                                    (long) pid,
                                    "dns.question.name",
                                    "missing.nightjar.test",
                                    "outcome",
                                    "nxdomain")))
                    .isEqualTo(2);

            glibcResolver(dir, serverAddress);
            dig(serverAddress);
            serving.interrupt();
        }
    }

    /** glibc's own resolver (connected UDP socket, A and AAAA sent together with sendmmsg). */
    private static void glibcResolver(Path dir, InetAddress server) throws Exception {
        boolean present = Executables.find("unshare").isPresent()
                && Executables.find("getent").isPresent()
                && Executables.find("mount", "/usr/bin/mount", "/bin/mount").isPresent();
        ExternalPiece.require(present, "unshare, mount (util-linux) and getent (libc-bin)");
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver " + server.getHostAddress() + "\noptions timeout:1 attempts:1\n");
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        Path nsswitch = dir.resolve("nsswitch.conf");
        Files.writeString(nsswitch, "hosts: files dns\n");
        Process p = new ProcessBuilder(
                        "unshare",
                        "--mount",
                        "sh",
                        "-c",
                        "mount --bind " + resolv + " /etc/resolv.conf && mount --bind " + hosts
                                + " /etc/hosts && mount --bind " + nsswitch
                                + " /etc/nsswitch.conf && echo pid $$ && exec getent ahosts glibc.nightjar.test")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("192.0.2.77");
        int pid = Integer.parseInt(out.lines()
                .filter(l -> l.startsWith("pid "))
                .findFirst()
                .orElseThrow()
                .substring(4)
                .trim());
        assertThat(await(() -> stats(pid, "glibc.nightjar.test", "ok")).queries())
                .isGreaterThanOrEqualTo(1);
    }

    /** dig (BIND's resolver library over libuv: connected socket, sendmmsg, recvmsg). */
    private static void dig(InetAddress server) throws Exception {
        ExternalPiece.require(Executables.find("dig").isPresent(), "dig (Debian bind9-dnsutils)");
        int ok = runDig(server, "dig.nightjar.test", "192.0.2.77");
        int missing = runDig(server, "missing.nightjar.test", "NXDOMAIN");
        assertThat(await(() -> stats(ok, "dig.nightjar.test", "ok")).queries()).isEqualTo(1);
        assertThat(await(() -> stats(missing, "missing.nightjar.test", "nxdomain"))
                        .queries())
                .isEqualTo(1);
    }

    private static int runDig(InetAddress server, String name, String expect) throws Exception {
        Process p = new ProcessBuilder(
                        "sh",
                        "-c",
                        "echo pid $$; exec dig +tries=1 +time=5 +nocookie +noedns @" + server.getHostAddress() + " "
                                + name + " A")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains(expect);
        return Integer.parseInt(out.lines()
                .filter(l -> l.startsWith("pid "))
                .findFirst()
                .orElseThrow()
                .substring(4)
                .trim());
    }

    private static Optional<QueryStats> stats(int pid, String name, String outcome) {
        return Optional.ofNullable(KernelSensor.get().dnsQueries().stats().get(new QueryKey(pid, name, outcome)));
    }

    /** Sends one query and returns the answer's rcode, or -1 when none came. */
    private static int ask(DatagramSocket client, DatagramSocket server, int id, String name) throws Exception {
        byte[] query = message(id, 0x0100, name, 1, 0, null);
        client.send(new DatagramPacket(query, query.length, server.getLocalSocketAddress()));
        byte[] buf = new byte[512];
        DatagramPacket answer = new DatagramPacket(buf, buf.length);
        try {
            client.receive(answer);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return buf[3] & 0xf;
    }

    private static void serve(DatagramSocket server) {
        byte[] buf = new byte[512];
        while (!server.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                server.receive(packet);
            } catch (java.io.IOException e) {
                return;
            }
            int id = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
            StringBuilder name = new StringBuilder();
            int at = 12;
            while (at < packet.getLength() && buf[at] != 0) {
                int len = buf[at];
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(new String(buf, at + 1, len, StandardCharsets.US_ASCII));
                at += len + 1;
            }
            int type = ((buf[at + 1] & 0xff) << 8) | (buf[at + 2] & 0xff);
            String q = name.toString();
            byte[] reply;
            if (q.startsWith("silent.")) {
                continue;
            } else if (q.startsWith("missing.")) {
                reply = message(id, 0x8183, q, type, 0, null);
            } else if (q.startsWith("broken.")) {
                reply = message(id, 0x8182, q, type, 0, null);
            } else if (type == 1) {
                reply = message(id, 0x8180, q, type, 1, ANSWER_ADDRESS);
            } else {
                reply = message(id, 0x8180, q, type, 0, null); // no AAAA: an empty answer
            }
            try {
                server.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    /** A DNS message with one question and at most one A answer (name compressed to the question). */
    private static byte[] message(int id, int flags, String name, int type, int answers, byte[] address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] header = {id, flags, 1, answers, 0, 0};
        for (int h : header) {
            out.write(h >> 8);
            out.write(h & 0xff);
        }
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(new byte[] {0, (byte) type, 0, 1});
        if (answers == 1) {
            out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
            out.writeBytes(address);
        }
        return out.toByteArray();
    }
}
