package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's redis-server driven by redis-cli with known numbers of commands and error replies. */
class RedisTrafficTest {

    private static final int SETS = 7;
    private static final int GETS = 5;
    private static final int INCRS = 3;
    private static final int WRONG_TYPE = 2;

    private static Process startRedis(Path server, String host, int port, Path dir) throws java.io.IOException {
        return new ProcessBuilder(
                        server.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        host,
                        "--protected-mode",
                        "no", // the test's non-loopback local address is "external" to redis
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString(),
                        "--logfile",
                        dir.resolve("redis.log").toString())
                .redirectErrorStream(true)
                .start();
    }

    /**
     * One interactive-style redis-cli session fed on stdin: it first asks COMMAND DOCS, whose
     * reply the server writes (and the client reads) in many chunks, some of which look like
     * requests; the commands after it must still be counted exactly.
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void aSessionAfterALongMultiChunkReplyIsCountedExactly(String address, @TempDir Path dir) throws Exception {
        Path server = Executables.find("redis-server").orElse(null);
        Path cli = Executables.find("redis-cli").orElse(null);
        ExternalPiece.require(
                server != null && cli != null, "redis-server and redis-cli (Debian redis-server, redis-tools)");
        KernelSensor.get();
        String host = KernelSensor.host(address);
        int port = FreePorts.next();
        Process redis = startRedis(server, host, port, dir);
        try {
            KernelSensor.awaitListening(host, port, redis);
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < SETS; i++) {
                script.append("SET key").append(i).append(" value\n");
            }
            for (int i = 0; i < GETS; i++) {
                script.append("GET key").append(i).append('\n');
            }
            script.append("LPUSH key0 item\n".repeat(WRONG_TYPE));
            Process client = new ProcessBuilder(cli.toString(), "-h", host, "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .start();
            try (java.io.OutputStream in = client.getOutputStream()) {
                in.write(script.toString().getBytes(StandardCharsets.US_ASCII));
            }
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("WRONGTYPE");
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() ->
                        Optional.of(calls("redis", role, port, "LPUSH", "ERR")).filter(s -> s.count() == WRONG_TYPE));
                assertThat(calls("redis", role, port, "SET", "OK").count())
                        .as(() -> role + " " + KernelSensor.l7Seen(port))
                        .isEqualTo(SETS);
                assertThat(calls("redis", role, port, "GET", "OK").count()).isEqualTo(GETS);
                assertThat(calls("redis", role, port, "COMMAND", null).count()).isEqualTo(1);
            }
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /**
     * Pipelines: redis-cli --pipe (mass insertion: every command in one write, the replies read
     * together, then an ECHO of its own) and a client that writes ten commands at once, one of
     * which fails. Every command counts, with its own reply's status, on both sides.
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void pipelinedCommandsAreCountedOneByOne(String address, @TempDir Path dir) throws Exception {
        Path server = Executables.find("redis-server").orElse(null);
        Path cli = Executables.find("redis-cli").orElse(null);
        ExternalPiece.require(
                server != null && cli != null, "redis-server and redis-cli (Debian redis-server, redis-tools)");
        KernelSensor.get();
        String host = KernelSensor.host(address);
        int port = FreePorts.next();
        Process redis = startRedis(server, host, port, dir);
        try {
            KernelSensor.awaitListening(host, port, redis);
            int massSets = 60; // about 1.9 KB of commands: more than one short capture
            StringBuilder mass = new StringBuilder();
            for (int i = 0; i < massSets; i++) {
                mass.append(resp("SET", "mass:" + i, "value-" + i));
            }
            mass.append(resp("INCR", "mass:0")); // not an integer: an error reply
            Process pipe = new ProcessBuilder(cli.toString(), "-h", host, "-p", Integer.toString(port), "--pipe")
                    .redirectErrorStream(true)
                    .start();
            try (java.io.OutputStream in = pipe.getOutputStream()) {
                in.write(mass.toString().getBytes(StandardCharsets.US_ASCII));
            }
            String report = new String(pipe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            pipe.waitFor(30, TimeUnit.SECONDS);
            assertThat(report).contains("errors: 1, replies: " + (massSets + 1));

            // Ten commands in one write, their replies read together.
            StringBuilder batch = new StringBuilder(resp("SET", "counter", "1"));
            for (int i = 0; i < 8; i++) {
                batch.append(resp("INCR", "counter"));
            }
            batch.append(resp("LPUSH", "counter", "x")); // WRONGTYPE
            try (java.net.Socket s = new java.net.Socket(host, port)) {
                s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                java.io.InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int got = 0;
                String replies = "";
                while (replies.split("\r\n", -1).length <= 10) {
                    int n = in.read(buf, got, buf.length - got);
                    assertThat(n).isPositive();
                    got += n;
                    replies = new String(buf, 0, got, StandardCharsets.US_ASCII);
                }
                assertThat(replies).startsWith("+OK\r\n:2\r\n").contains(":9\r\n-WRONGTYPE");
            }

            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() ->
                        Optional.of(calls("redis", role, port, "LPUSH", "ERR")).filter(s -> s.count() == 1));
                assertThat(calls("redis", role, port, "SET", "OK").count())
                        .as(() -> role + " " + KernelSensor.l7Seen(port))
                        .isEqualTo(massSets + 1);
                assertThat(calls("redis", role, port, "INCR", "OK").count()).isEqualTo(8);
                assertThat(calls("redis", role, port, "INCR", "ERR").count()).isEqualTo(1);
                assertThat(calls("redis", role, port, "ECHO", "OK").count()).isEqualTo(1);
                assertThat(calls("redis", role, port, "SET", null).errors()).isZero();
            }
            Map<String, Object> served =
                    Map.of("network.protocol.name", "redis", "nightjar.role", "server", "server.port", port);
            assertThat(KernelSensor.exportedSum("nightjar.l7.requests", served)).isEqualTo(massSets + 1 + 1 + 10);
            assertThat(KernelSensor.exportedSum("nightjar.l7.errors", served)).isEqualTo(2);
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void commandsAreCountedPerCommandWithLatencyAndErrors(String address, @TempDir Path dir) throws Exception {
        Path server = Executables.find("redis-server").orElse(null);
        Path cli = Executables.find("redis-cli").orElse(null);
        ExternalPiece.require(
                server != null && cli != null, "redis-server and redis-cli (Debian redis-server, redis-tools)");
        KernelSensor.get();
        String host = KernelSensor.host(address);
        int port = FreePorts.next();
        Process redis = startRedis(server, host, port, dir);
        try {
            KernelSensor.awaitListening(host, port, redis);
            // One redis-cli per command (a session fed on stdin is the test above).
            List<List<String>> commands = new ArrayList<>();
            for (int i = 0; i < SETS; i++) {
                commands.add(List.of("SET", "key" + i, "value" + i));
            }
            for (int i = 0; i < GETS; i++) {
                commands.add(List.of("GET", "key" + i));
            }
            for (int i = 0; i < INCRS; i++) {
                commands.add(List.of("INCR", "counter"));
            }
            for (int i = 0; i < WRONG_TYPE; i++) {
                commands.add(List.of("LPUSH", "key0", "item")); // a string key: WRONGTYPE error reply
            }
            StringBuilder out = new StringBuilder();
            long lastClient = 0;
            for (List<String> command : commands) {
                List<String> argv = new ArrayList<>(List.of(cli.toString(), "-h", host, "-p", Integer.toString(port)));
                argv.addAll(command);
                Process client =
                        new ProcessBuilder(argv).redirectErrorStream(true).start();
                out.append(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
                lastClient = client.pid();
            }
            assertThat(out.toString()).contains("WRONGTYPE").contains("3");
            long lastPid = lastClient;

            await(() -> Optional.of(calls("redis", Role.SERVER, port, "LPUSH", null))
                    .filter(s -> s.count() == WRONG_TYPE));
            await(() -> Optional.of(calls("redis", Role.CLIENT, port, "LPUSH", null))
                    .filter(s -> s.count() == WRONG_TYPE));
            for (Role role : Role.values()) {
                if (role == Role.UNKNOWN) {
                    continue;
                }
                assertThat(calls("redis", role, port, "SET", "OK").count())
                        .as(() -> role + " " + KernelSensor.l7Seen(port))
                        .isEqualTo(SETS);
                assertThat(calls("redis", role, port, "GET", "OK").count()).isEqualTo(GETS);
                assertThat(calls("redis", role, port, "INCR", "OK").count()).isEqualTo(INCRS);
                L7State.CallStats errors = calls("redis", role, port, "LPUSH", "ERR");
                assertThat(errors.count()).isEqualTo(WRONG_TYPE);
                assertThat(errors.errors()).isEqualTo(WRONG_TYPE);
                L7State.CallStats sets = calls("redis", role, port, "SET", null);
                assertThat(sets.errors()).isZero();
                assertThat(sets.latencySecondsSum()).isPositive();
                assertThat(Arrays.stream(sets.bucketCounts()).sum()).isEqualTo(SETS);
            }
            // The client's side is attributed to the redis-cli process itself.
            assertThat(KernelSensor.get().l7().stats().keySet())
                    .anyMatch(k -> k.pid() == lastPid && k.operation().equals("LPUSH"));

            Map<String, Object> lpush = Map.of(
                    "network.protocol.name", "redis",
                    "nightjar.role", "server",
                    "server.port", port,
                    "nightjar.operation", "LPUSH");
            assertThat(KernelSensor.exportedSum("nightjar.l7.requests", lpush)).isEqualTo(WRONG_TYPE);
            assertThat(KernelSensor.exportedSum("nightjar.l7.errors", lpush)).isEqualTo(WRONG_TYPE);
            assertThat(KernelSensor.exportedHistogramCount("nightjar.l7.duration", lpush))
                    .isEqualTo(WRONG_TYPE);
            assertThat(KernelSensor.exportedSum(
                            "nightjar.l7.errors",
                            Map.of("network.protocol.name", "redis", "server.port", port, "nightjar.operation", "SET")))
                    .isZero();
            // Spans: one per call, the failed ones marked.
            assertThat(KernelSensor.get().l7().drainCalls())
                    .anyMatch(c -> c.key().port() == port && c.key().operation().equals("LPUSH") && c.error());
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
