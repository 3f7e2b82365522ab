package dev.nightjar.sensors;

import dev.nightjar.sensors.export.ExportStats;
import dev.nightjar.sensors.export.Exporter;
import dev.nightjar.sensors.export.SensorMetrics;
import dev.nightjar.sensors.export.SpanEncoder;
import dev.nightjar.sensors.k8s.KubernetesPods;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code nightjar-sensor [--config FILE] [--check]}. Starts every feature the host allows, says
 * which are off and why, and exports until stopped. {@code --check} prints the features and exits
 * (status 0 when all run, 2 when some are off).
 */
public final class SensorMain {

    private SensorMain() {}

    public static void main(String[] args) throws Exception {
        Path configFile = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> configFile = Path.of(args[++i]);
                case "--check" -> check = true;
                default -> {
                    System.err.println("usage: nightjar-sensor [--config FILE] [--check]");
                    System.exit(64);
                }
            }
        }
        SensorConfig config;
        try {
            config = SensorConfig.load(configFile, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("nightjar-sensor: bad configuration: " + e.getMessage());
            System.exit(78);
            return;
        }
        Sensor sensor = Sensor.start(config.features());
        boolean allOn = true;
        for (FeatureStatus status : sensor.status().values()) {
            System.err.println("nightjar-sensor: " + status.describe());
            allOn &= status.on() && status.problems().isEmpty();
        }
        if (!sensor.kernel().canLoad()) {
            System.err.println("nightjar-sensor: eBPF is unavailable: "
                    + String.join("; ", sensor.kernel().missing())
                    + ". Running without kernel features; only the sensor's own health is exported.");
        }
        if (check) {
            sensor.close();
            System.exit(allOn ? 0 : 2);
            return;
        }
        Path bufferDir = usableBufferDir(config.bufferDir());
        if (bufferDir == null) {
            System.exit(73);
            return;
        }
        System.err.println("nightjar-sensor: exporting to " + config.describe());
        ExportStats stats = new ExportStats();
        String node = hostName();
        List<String> why = new ArrayList<>();
        Optional<KubernetesPods> kubernetes = KubernetesPods.inCluster(System.getenv(), why);
        System.err.println(
                kubernetes.isPresent()
                        ? "nightjar-sensor: kubernetes pod metadata: on (pods of node " + node + ")"
                        : "nightjar-sensor: kubernetes pod metadata: off (" + String.join("; ", why) + ")");
        SensorMetrics metrics = new SensorMetrics(
                sensor,
                node,
                System.currentTimeMillis() * 1_000_000L,
                stats,
                containerId -> kubernetes.flatMap(k -> k.byContainerId(containerId)));
        SpanEncoder spans = new SpanEncoder(sensor, node);
        Exporter exporter = new Exporter(
                config.endpoint(),
                config.headers(),
                bufferDir,
                config.bufferMaxBytes(),
                config.intervalMillis(),
                stats,
                now -> {
                    // The kernel's counters as of now: open connections' bytes, HTTP counters.
                    sensor.refresh();
                    return metrics.collect(now).toByteArray();
                },
                () -> {
                    List<L7State.Call> calls = sensor.l7().drainCalls();
                    return calls.isEmpty()
                            ? Optional.empty()
                            : Optional.of(spans.encode(calls).toByteArray());
                });
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exporter.close();
            sensor.close();
            kubernetes.ifPresent(KubernetesPods::close);
            stop.countDown();
        }));
        stop.await();
    }

    /**
     * The configured buffer directory, or, when it cannot be created or written (the default under
     * /var/lib as a user other than root), one of this user's own under the temporary directory, so
     * a sensor started without root keeps exporting its own health instead of failing. Null, after a
     * message, when neither can be used.
     */
    static Path usableBufferDir(Path configured) {
        String problem = problem(configured);
        if (problem == null) {
            return configured;
        }
        String user = System.getProperty("user.name", "user");
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "nightjar-sensor-" + user, "buffer");
        String fallbackProblem = problem(fallback);
        if (fallbackProblem == null) {
            System.err.println("nightjar-sensor: buffer directory " + configured + " is not usable (" + problem
                    + "); buffering in " + fallback
                    + " instead (set NIGHTJAR_SENSOR_BUFFER_DIR or buffer.dir to a writable directory)");
            return fallback;
        }
        System.err.println("nightjar-sensor: buffer directory " + configured + " is not usable (" + problem
                + "), nor is " + fallback + " (" + fallbackProblem
                + "); set NIGHTJAR_SENSOR_BUFFER_DIR or buffer.dir to a writable directory");
        return null;
    }

    /** Why a directory cannot hold the buffer, or null when it can. */
    private static String problem(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            return "cannot create it: permission denied";
        } catch (IOException | SecurityException e) {
            return "cannot create it: " + e.getMessage();
        }
        if (!Files.isWritable(dir)) {
            return "not writable by " + System.getProperty("user.name");
        }
        return null;
    }

    private static String hostName() {
        String env = System.getenv("NODE_NAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
