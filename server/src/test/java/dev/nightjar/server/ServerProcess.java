package dev.nightjar.server;

import static org.assertj.core.api.Assertions.fail;

import dev.nightjar.testing.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server ({@code quarkus-run.jar}) started as a real process on a free port. */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();
    private final Thread pump;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.pump = new Thread(this::pumpOutput, "server-output-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("nightjar.server.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            fail("packaged server not found at " + jar + "; run the package phase first");
        }
        return jar;
    }

    /**
     * The environment of a server on an external PostgreSQL (the embedded one a test started) with a bootstrap
     * admin key, plus {@code extra}.
     */
    static Map<String, String> databaseEnv(EmbeddedPostgres db, String bootstrapKey, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("NIGHTJAR_DB_URL", db.getJdbcUrl("postgres", "postgres"));
        env.put("NIGHTJAR_DB_USER", "postgres");
        env.put("NIGHTJAR_DB_PASSWORD", "postgres");
        env.put("NIGHTJAR_BOOTSTRAP_API_KEY", bootstrapKey);
        return env;
    }

    /** Starts the server with the data directory and extra environment, and waits until it is ready. */
    static ServerProcess start(Path dataDir, Map<String, String> extraEnv) {
        int port = FreePorts.next();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx512m",
                        "-jar",
                        jar().toString())
                .redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(builder.environment());
        env.keySet().removeIf(k -> k.startsWith("NIGHTJAR_") || k.startsWith("QUARKUS_"));
        env.put("NIGHTJAR_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(extraEnv);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            ServerProcess server = new ServerProcess(builder.start(), port);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    int port() {
        return port;
    }

    String output() {
        return output.toString();
    }

    /** A value printed in the first-start banner, e.g. {@code "Password"}. */
    Optional<String> bannerValue(String label) {
        Matcher matcher = Pattern.compile("^ " + Pattern.quote(label) + ":\\s+(\\S+)$", Pattern.MULTILINE)
                .matcher(output());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return send(request);
    }

    /** Stops with SIGTERM, as an init system would, and returns the exit code. */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("server did not stop within 60 s after SIGTERM:\n" + output());
            }
            pump.join(10_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the process with SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
            pump.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("server exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(uri("/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        process.destroyForcibly();
        fail("server not ready within " + START_TIMEOUT + ":\n" + output());
    }

    private void pumpOutput() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
