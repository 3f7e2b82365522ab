package dev.nightjar.bench.metricsapi;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A receiving process started by the benchmark on a free loopback port: its start-up, readiness wait and
 * CPU accounting from /proc, apart from the load generation so each side of the comparison reads on its own.
 */
final class Receiver implements AutoCloseable {
    private final Process process;
    private final URI writeUri;

    private Receiver(Process process, URI writeUri) {
        this.process = process;
        this.writeUri = writeUri;
    }

    static Receiver nightjar(Path jar, Path dir, String key, String jfr, String heap, String jvmOptions)
            throws Exception {
        int port = freePort();
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED"));
        // 2 GiB unless asked otherwise (`--server-heap 6g`; `--server-heap default` leaves it to the JVM's
        // ergonomics, a quarter of RAM, as `./nightjar run` does).
        if (heap == null) {
            command.add("-Xmx2g");
        } else if (!heap.equals("default")) {
            command.add("-Xmx" + heap);
        }
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr
                    + ",settings=profile,dumponexit=true,jdk.Compilation#threshold=0ms,jdk.FileForce#threshold=0ms");
        }
        // Extra JVM flags for experiments (`--server-jvm-options "-XX:A -XX:B"`), as NIGHTJAR_JAVA_OPTS adds
        // them to `./nightjar run`.
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("NIGHTJAR_") || k.startsWith("QUARKUS_"));
        pb.environment().put("NIGHTJAR_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("NIGHTJAR_BOOTSTRAP_API_KEY", key);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("NIGHTJAR_OTLP_HTTP_PORT", "-1");
        pb.environment().put("NIGHTJAR_OTLP_GRPC_PORT", "-1");
        Receiver r = new Receiver(pb.start(), URI.create("http://127.0.0.1:" + port + "/api/v1/write"));
        r.await(URI.create("http://127.0.0.1:" + port + "/q/health/ready"));
        return r;
    }

    static Receiver prometheus(Path binary, Path dir) throws Exception {
        int port = freePort();
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\n");
        ProcessBuilder pb = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--web.enable-remote-write-receiver")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile());
        Receiver r = new Receiver(pb.start(), URI.create("http://127.0.0.1:" + port + "/api/v1/write"));
        r.await(URI.create("http://127.0.0.1:" + port + "/-/ready"));
        return r;
    }

    URI writeUri() {
        return writeUri;
    }

    /** Peak resident memory of the process so far (VmHWM), in MiB, from /proc. */
    double peakRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** utime + stime of the process and its threads, from /proc. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks / 100.0;
    }

    /**
     * CPU seconds per thread name (digits folded, so pools add up), and per name plus {@code " [sys]"}
     * the system (kernel) part of it, from /proc/<pid>/task.
     */
    Map<String, Double> cpuByThread() throws IOException {
        Map<String, Double> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                    // The kernel's share apart: file writes, fsyncs and page-cache work show here.
                    out.merge(comm + " [sys]", Long.parseLong(f[12]) / 100.0, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private void await(URI ready) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("receiver exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("receiver not ready: " + ready);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
