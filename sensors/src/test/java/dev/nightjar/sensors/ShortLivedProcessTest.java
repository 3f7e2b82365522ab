package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user sees through the export for processes that are gone by the time the sensor exports:
 * the exit code of a crashing program, and the executable of a client that connected and exited.
 * Each runs from a private copy of bash, so its executable path is this test's alone and the counts
 * are exact.
 */
class ShortLivedProcessTest {

    private static Path dir;
    private static Path crashing;
    private static Path client;
    private static Path relative;
    private static Path relativeLoop;

    @BeforeAll
    static void copyExecutables() throws Exception {
        KernelSensor.get();
        dir = Files.createTempDirectory("nightjar-short-lived");
        crashing = Files.copy(Path.of("/bin/bash"), dir.resolve("crashloop"), StandardCopyOption.COPY_ATTRIBUTES);
        client = Files.copy(Path.of("/bin/bash"), dir.resolve("oneshot"), StandardCopyOption.COPY_ATTRIBUTES);
        relative = Files.copy(Path.of("/bin/bash"), dir.resolve("relstart"), StandardCopyOption.COPY_ATTRIBUTES);
        relativeLoop = Files.copy(Path.of("/bin/bash"), dir.resolve("relcrash"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(dir.resolve("sub"));
    }

    @AfterAll
    static void removeExecutables() throws Exception {
        if (dir != null) {
            Files.deleteIfExists(crashing);
            Files.deleteIfExists(client);
            Files.deleteIfExists(relative);
            Files.deleteIfExists(relativeLoop);
            Files.deleteIfExists(dir.resolve("sub"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void exitCodesAndSignalsAreExportedPerExecutable() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(run(crashing.toString(), "-c", "exit 3")).isEqualTo(3);
        }
        run(crashing.toString(), "-c", "kill -9 $$");
        String path = crashing.toString();

        long code3 = await(() -> Optional.of(KernelSensor.exportedSum(
                        "nightjar.process.exit_codes",
                        Map.of("process.executable.path", path, "process.exit.code", 3L, "process.exit.signal", 0L)))
                .filter(n -> n >= 3));
        assertThat(code3).isEqualTo(3);
        long killed = await(() -> Optional.of(KernelSensor.exportedSum(
                        "nightjar.process.exit_codes",
                        Map.of("process.executable.path", path, "process.exit.code", 0L, "process.exit.signal", 9L)))
                .filter(n -> n >= 1));
        assertThat(killed).isEqualTo(1);
        assertThat(KernelSensor.exportedSum("nightjar.process.failed_exits", Map.of("process.executable.path", path)))
                .isEqualTo(3);
        assertThat(KernelSensor.exportedSum("nightjar.process.restarts", Map.of("process.executable.path", path)))
                .isEqualTo(3);
    }

    @Test
    void aProgramStartedByARelativePathIsReportedByItsAbsolutePath() throws Exception {
        // Started as ./relstart from its own directory; it waits on stdin until the sensor has seen
        // its exec, so the working directory can still be read.
        Process p = new ProcessBuilder("./relstart", "-c", "read line; exit 3")
                .directory(dir.toFile())
                .start();
        await(() -> KernelSensor.get().processes().executables().keySet().stream()
                .filter(k ->
                        k.executable().endsWith("/relstart") || k.executable().equals("./relstart"))
                .findFirst());
        p.getOutputStream().close();
        assertThat(p.waitFor()).isEqualTo(3);
        long exits = await(() -> Optional.of(KernelSensor.exportedSum(
                        "nightjar.process.exit_codes",
                        Map.of("process.executable.path", relative.toString(), "process.exit.code", 3L)))
                .filter(n -> n >= 1));
        assertThat(exits).isPositive();
        assertThat(KernelSensor.exportedSum("nightjar.process.starts", Map.of("process.executable.path", "./relstart")))
                .isZero();
    }

    /**
     * A crash loop started by relative paths (and once by an absolute one with {@code ..}): each
     * process dies at once, long before the sensor reads its exec, so the working directory must come
     * from the kernel (at the exec), not from {@code /proc}. All five starts are one executable, by
     * its absolute path.
     */
    @Test
    void aCrashLoopStartedByRelativePathsIsOneExecutable() throws Exception {
        for (int i = 0; i < 3; i++) {
            Process p = new ProcessBuilder("./relcrash", "-c", "kill -SEGV $$")
                    .directory(dir.toFile())
                    .start();
            assertThat(p.waitFor()).isEqualTo(128 + 11);
        }
        for (String started : List.of("../relcrash", dir + "/sub/../relcrash")) {
            Process p = new ProcessBuilder(started, "-c", "kill -SEGV $$")
                    .directory(dir.resolve("sub").toFile())
                    .start();
            assertThat(p.waitFor()).isEqualTo(128 + 11);
        }
        String path = relativeLoop.toString();
        long segv = await(() -> Optional.of(KernelSensor.exportedSum(
                        "nightjar.process.exit_codes",
                        Map.of("process.executable.path", path, "process.exit.code", 0L, "process.exit.signal", 11L)))
                .filter(n -> n >= 5));
        assertThat(segv).isEqualTo(5);
        assertThat(KernelSensor.exportedSum("nightjar.process.starts", Map.of("process.executable.path", path)))
                .isEqualTo(5);
        assertThat(KernelSensor.exportedSum("nightjar.process.signalled", Map.of("process.executable.path", path)))
                .isEqualTo(5);
        assertThat(KernelSensor.exportedSum("nightjar.process.restarts", Map.of("process.executable.path", path)))
                .isEqualTo(4);
        assertThat(KernelSensor.get().processes().executables().keySet())
                .extracting(ProcessState.ExecutableKey::executable)
                .filteredOn(e -> e.endsWith("relcrash"))
                .containsExactly(path);
    }

    @Test
    void aClientThatExitedBeforeTheExportKeepsItsExecutable() throws Exception {
        byte[] payload = "hello from a short-lived client".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept();
                        InputStream in = s.getInputStream()) {
                    return in.readAllBytes();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // bash's /dev/tcp: connect, write, close, exit, all before the sensor exports.
            Process p = new ProcessBuilder(
                            client.toString(),
                            "-c",
                            "exec 3<>/dev/tcp/127.0.0.1/" + port + "; printf '%s' \"$0\" >&3; exec 3>&-",
                            new String(payload, StandardCharsets.US_ASCII))
                    .start();
            assertThat(p.waitFor()).isZero();
            assertThat(received.get()).isEqualTo(payload);
            long pid = p.pid();
            Map<String, Object> mine = Map.of(
                    "process.pid",
                    pid,
                    "process.executable.path",
                    client.toString(),
                    "process.executable.name",
                    "oneshot",
                    "server.port",
                    port,
                    "nightjar.role",
                    "client");

            long sent = await(
                    () -> Optional.of(KernelSensor.exportedSum("nightjar.tcp.bytes", with(mine, "direction", "sent")))
                            .filter(n -> n >= payload.length));
            assertThat(sent).isEqualTo(payload.length);
            assertThat(KernelSensor.exportedSum("nightjar.tcp.connects", with(mine, "outcome", "established")))
                    .isEqualTo(1);
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).start().waitFor();
    }
}
