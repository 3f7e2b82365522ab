package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.sensors.export.ExportStats;
import dev.nightjar.sensors.export.Exporter;
import dev.nightjar.sensors.export.SensorMetrics;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a user runs: the real sensor in the kernel, its OTLP export with an API key, the packaged
 * Nightjar server storing it, and PromQL reading it back. Known traffic on loopback (raw TCP with exact byte
 * totals, HTTP with exact status counts) must come out of {@code /api/v1/query} with the same numbers.
 * The server is the one the reactor packaged before this module ({@code nightjar.server.jar} overrides).
 */
class ServerEndToEndTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String KEY = "nj_sensor_e2e_admin_key_0123456789abcdef";
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void trafficSeenByTheKernelIsQueryableFromTheServerWithExactCounts(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("nightjar.server.jar", "../server/target/quarkus-app/quarkus-run.jar"));
        ExternalPiece.require(Files.exists(jar), "the packaged server at " + jar + " (./mvnw -pl server package)");
        Sensor sensor = KernelSensor.get();
        int serverPort = FreePorts.next();
        Process server = startServer(jar, dir.resolve("data"), serverPort);
        HttpServer web = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        try (ServerSocket sink = new ServerSocket(0, 8, LOOPBACK)) {
            web.createContext("/", exchange -> {
                int status = exchange.getRequestURI().getPath().startsWith("/missing") ? 404 : 200;
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            web.start();
            awaitReady(serverPort);

            int tcpPort = sink.getLocalPort();
            long bytes = 123_457;
            LoopbackTransfer.send(sink, bytes);
            int webPort = web.getAddress().getPort();
            int found = 7;
            int missing = 3;
            for (int i = 0; i < found + missing; i++) {
                String path = i < found ? "/orders" : "/missing";
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(i < found ? 200 : 404);
            }
            // The sensor has seen all of it before the export is taken.
            await(() ->
                    Optional.of(LoopbackTransfer.clientBytes(sensor, tcpPort)).filter(b -> b == bytes));
            await(() -> Optional.of(KernelSensor.calls("http", Role.SERVER, webPort, "GET", "404")
                            .count())
                    .filter(c -> c == missing));
            await(() -> Optional.of(KernelSensor.calls("http", Role.SERVER, webPort, "GET", "200")
                            .count())
                    .filter(c -> c == found));

            ExportStats stats = new ExportStats();
            SensorMetrics metrics = new SensorMetrics(sensor, "e2e-node", 0, stats);
            try (Exporter exporter = new Exporter(
                    "http://127.0.0.1:" + serverPort,
                    Map.of("Authorization", "Bearer " + KEY),
                    dir.resolve("buffer"),
                    16 << 20,
                    3_600_000,
                    stats,
                    now -> metrics.collect(now).toByteArray(),
                    Optional::empty)) {
                exporter.exportOnce();
            }
            assertThat(stats.failures()).as("export failures").isZero();

            assertThat(query(
                            serverPort,
                            "sum(nightjar_tcp_bytes_total{server_port=\"" + tcpPort
                                    + "\",nightjar_role=\"client\",direction=\"sent\"})"))
                    .isEqualTo((double) bytes);
            assertThat(query(
                            serverPort,
                            "sum(nightjar_tcp_bytes_total{server_port=\"" + tcpPort
                                    + "\",nightjar_role=\"server\",direction=\"received\"})"))
                    .isEqualTo((double) bytes);
            assertThat(query(
                            serverPort,
                            "sum(nightjar_l7_requests_total{server_port=\"" + webPort
                                    + "\",nightjar_role=\"server\",nightjar_status=\"200\"})"))
                    .isEqualTo((double) found);
            assertThat(query(
                            serverPort,
                            "sum(nightjar_l7_requests_total{server_port=\"" + webPort
                                    + "\",nightjar_role=\"client\",nightjar_status=\"404\"})"))
                    .isEqualTo((double) missing);
            // Sizes under their Prometheus names, equal to what the sensor counted (exact against curl
            // in NginxTrafficTest; the JDK server's headers carry a date, so no fixed figure here).
            for (String direction : new String[] {"request", "response"}) {
                long counted = 0;
                for (String status : new String[] {"200", "404"}) {
                    L7State.CallStats s = KernelSensor.calls("http", Role.SERVER, webPort, "GET", status);
                    counted += direction.equals("request") ? s.requestBytes() : s.responseBytes();
                }
                assertThat(counted).isPositive();
                assertThat(query(
                                serverPort,
                                "sum(nightjar_l7_" + direction + "_size_bytes_total{server_port=\"" + webPort
                                        + "\",nightjar_role=\"server\"})"))
                        .as(direction + " bytes")
                        .isEqualTo((double) counted);
            }
        } finally {
            web.stop(0);
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static Process startServer(Path jar, Path data, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx512m",
                        "-jar",
                        jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolveSibling("server.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("NIGHTJAR_") || k.startsWith("QUARKUS_"));
        builder.environment().put("NIGHTJAR_DATA_DIR", data.toString());
        builder.environment().put("NIGHTJAR_BOOTSTRAP_API_KEY", KEY);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("NIGHTJAR_OTLP_HTTP_PORT", "-1");
        builder.environment().put("NIGHTJAR_OTLP_GRPC_PORT", "-1");
        return builder.start();
    }

    private void awaitReady(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the server did not become ready within 120 s");
    }

    private double query(int port, String promql) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .header("Authorization", "Bearer " + KEY)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = VALUE.matcher(r.body());
        assertThat(m.find()).as("a sample in " + r.body() + " for " + promql).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
