package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sensor started as nobody says clearly that eBPF is off and why, and does not crash. */
class NonRootTest {

    @Test
    void runningAsNobodyExplainsWhatIsOffAndKeepsGoing(@TempDir Path dir) throws Exception {
        Process p = asNobody(dir, "--check").start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("network: OFF (not running as root").contains("eBPF is unavailable");
        assertThat(out).doesNotContain("Exception");
        assertThat(p.exitValue()).isEqualTo(2);
    }

    /**
     * Run for real (not --check) as nobody with a buffer directory nobody cannot create, as the
     * default under /var/lib is on a fresh machine: the sensor says where it buffers instead and
     * keeps running, with no stack trace.
     */
    @Test
    void runningAsNobodyWithAnUnwritableBufferDirectoryKeepsRunning(@TempDir Path dir) throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = asNobody(dir);
        builder.environment()
                .put("NIGHTJAR_SENSOR_BUFFER_DIR", locked.resolve("buffer").toString());
        // Nothing listens on port 9 of loopback: exports fail and go to the buffer.
        builder.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        builder.environment().put("NIGHTJAR_SENSOR_INTERVAL_MS", "200");
        Process p = builder.start();
        try {
            StringBuilder out = new StringBuilder();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                out.append(line).append('\n');
                if (line.contains("kubernetes pod metadata")) {
                    break;
                }
            }
            assertThat(out.toString())
                    .contains("buffer directory " + locked.resolve("buffer") + " is not usable (cannot create it")
                    .contains("buffering in /tmp/nightjar-sensor-nobody/buffer instead")
                    .contains("exporting to")
                    .doesNotContain("Exception");
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static ProcessBuilder asNobody(Path dir, String... args) throws IOException {
        ExternalPiece.require(Kernel.probe().root(), "root, to drop to nobody with setpriv");
        Path setpriv = Executables.find("setpriv").orElse(null);
        ExternalPiece.require(setpriv != null, "setpriv (Debian util-linux)");

        // nobody cannot read /root/.m2 or the build tree: give it a world-readable copy.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> classpath = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path source = Path.of(entry);
            Path target = dir.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
            copy(source, target);
            classpath.add(target.toString());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                        setpriv.toString(),
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        String.join(":", classpath),
                        SensorMain.class.getName())
                .redirectErrorStream(true);
        builder.command().addAll(List.of(args));
        return builder;
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
