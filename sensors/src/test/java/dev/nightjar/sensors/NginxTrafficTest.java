package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's nginx answering fixed statuses, driven by curl with exact request counts. */
class NginxTrafficTest {

    private static final int OK = 6;
    private static final int MISSING = 4;
    private static final int BROKEN = 3;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void requestCountsAndStatusCodesAreExactOnBothSides(String address, @TempDir Path dir) throws Exception {
        Path nginx = Executables.find("nginx", "/usr/sbin/nginx").orElse(null);
        Path curl = Executables.find("curl").orElse(null);
        ExternalPiece.require(nginx != null && curl != null, "nginx and curl (Debian nginx-light, curl)");
        KernelSensor.get();
        String host = KernelSensor.host(address);
        int port = FreePorts.next();
        Process server = startNginx(nginx, dir, host, port, "", """
                location /items/ { return 200 "item\\n"; }
                location /missing { return 404; }
                location /broken { return 500; }
                """);
        try {
            KernelSensor.awaitListening(host, port, server);
            List<String> command = new ArrayList<>(List.of(curl.toString(), "-s", "-w", TRANSFER));
            String base = "http://" + host + ":" + port;
            for (int i = 0; i < OK; i++) {
                command.addAll(List.of("-o", "/dev/null", base + "/items/" + (100 + i)));
            }
            for (int i = 0; i < MISSING; i++) {
                command.addAll(List.of("-o", "/dev/null", base + "/missing?attempt=" + i));
            }
            for (int i = 0; i < BROKEN; i++) {
                command.addAll(List.of("-o", "/dev/null", base + "/broken"));
            }
            // One curl process, one keep-alive connection: requests follow each other on one socket.
            Process client =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            List<Transfer> transfers =
                    Transfer.parse(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(transfers).extracting(Transfer::status).containsExactlyElementsOf(expectedCodes());

            await(() ->
                    Optional.of(calls("http", Role.SERVER, port, "GET", "500")).filter(s -> s.count() == BROKEN));
            await(() ->
                    Optional.of(calls("http", Role.CLIENT, port, "GET", "500")).filter(s -> s.count() == BROKEN));
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                assertThat(calls("http", role, port, "GET", "200").count()).isEqualTo(OK);
                assertThat(calls("http", role, port, "GET", "404").count()).isEqualTo(MISSING);
                L7State.CallStats broken = calls("http", role, port, "GET", "500");
                assertThat(broken.count()).isEqualTo(BROKEN);
                assertThat(broken.errors()).isEqualTo(BROKEN);
                assertThat(calls("http", role, port, "GET", null).count()).isEqualTo(OK + MISSING + BROKEN);
                // Whole messages, exactly what curl wrote and read: request line and headers; status
                // line, headers and body.
                for (String status : List.of("200", "404", "500")) {
                    L7State.CallStats s = calls("http", role, port, "GET", status);
                    assertThat(s.requestBytes())
                            .as(role + " " + status)
                            .isEqualTo(Transfer.requestBytes(transfers, status));
                    assertThat(s.responseBytes())
                            .as(role + " " + status)
                            .isEqualTo(Transfer.responseBytes(transfers, status));
                }
            }
            // Path templates: ids collapse, query strings are dropped.
            assertThat(KernelSensor.get().l7().stats().keySet())
                    .filteredOn(k -> k.protocol().equals("http") && k.port() == port && k.role() == Role.SERVER)
                    .extracting(L7State.CallKey::target)
                    .containsExactlyInAnyOrder("/items/{id}", "/missing", "/broken");
            assertThat(KernelSensor.get().l7().stats().keySet())
                    .anyMatch(k -> k.pid() == client.pid() && k.protocol().equals("http") && k.port() == port);

            Map<String, Object> served =
                    Map.of("network.protocol.name", "http", "nightjar.role", "server", "server.port", port);
            assertThat(KernelSensor.exportedSum("nightjar.l7.requests", served)).isEqualTo(OK + MISSING + BROKEN);
            assertThat(KernelSensor.exportedSum("nightjar.l7.errors", served)).isEqualTo(BROKEN);
            assertThat(KernelSensor.exportedSum(
                            "nightjar.l7.requests",
                            Map.of(
                                    "network.protocol.name",
                                    "http",
                                    "nightjar.role",
                                    "server",
                                    "server.port",
                                    port,
                                    "nightjar.status",
                                    "404")))
                    .isEqualTo(MISSING);
            assertThat(KernelSensor.exportedHistogramCount("nightjar.l7.duration", served))
                    .isEqualTo(OK + MISSING + BROKEN);
            assertThat(KernelSensor.exportedSum("nightjar.l7.request.size", served))
                    .isEqualTo(Transfer.requestBytes(transfers, null));
            assertThat(KernelSensor.exportedSum("nightjar.l7.response.size", served))
                    .isEqualTo(Transfer.responseBytes(transfers, null));
            bytesBelongToTheWorkerThatServed(port, server.pid(), client.pid());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Uploads with {@code Expect: 100-continue} (curl sends it itself for a body over 1 MB): the
     * interim {@code 100 Continue} must not be taken for the response. nginx answers a
     * {@code return} location with the 100 and the final response in one write; a large body
     * is read between them. Each upload counts once, with its final status, on both sides.
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void uploadsAfter100ContinueCountTheirFinalStatus(String address, @TempDir Path dir) throws Exception {
        Path nginx = Executables.find("nginx", "/usr/sbin/nginx").orElse(null);
        Path curl = Executables.find("curl").orElse(null);
        ExternalPiece.require(nginx != null && curl != null, "nginx and curl (Debian nginx-light, curl)");
        KernelSensor.get();
        int port = FreePorts.next();
        Path small = Files.writeString(dir.resolve("small.txt"), "hello\n");
        Path large = dir.resolve("large.bin");
        Files.write(large, new byte[2_000_000]);
        String host = KernelSensor.host(address);
        Process server = startNginx(nginx, dir, host, port, "client_max_body_size 8m;", """
                location /upload { return 201 "stored\\n"; }
                """);
        try {
            KernelSensor.awaitListening(host, port, server);
            String base = "http://" + host + ":" + port;
            // Two small uploads over one keep-alive connection, asking for 100-continue.
            String codes = run(
                    curl.toString(),
                    "-s",
                    "-w",
                    TRANSFER,
                    "-H",
                    "Expect: 100-continue",
                    "--data-binary",
                    "@" + small,
                    "-o",
                    "/dev/null",
                    base + "/upload/1",
                    "-o",
                    "/dev/null",
                    base + "/upload/2");
            // One large upload: curl asks for 100-continue by itself.
            codes += run(
                    curl.toString(),
                    "-s",
                    "-w",
                    TRANSFER,
                    "--data-binary",
                    "@" + large,
                    "-o",
                    "/dev/null",
                    base + "/upload/3");
            List<Transfer> transfers = Transfer.parse(codes);
            assertThat(transfers).extracting(Transfer::status).containsExactly("201", "201", "201");

            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() ->
                        Optional.of(calls("http", role, port, "POST", "201")).filter(s -> s.count() == 3));
                assertThat(calls("http", role, port, "POST", null).count())
                        .as(role + " "
                                + KernelSensor.get().l7().stats().keySet().stream()
                                        .filter(k -> k.port() == port)
                                        .toList())
                        .isEqualTo(3);
                assertThat(calls("http", role, port, "POST", "100").count()).isZero();
                // The body counts with its request, whether it came after the 100, or after the 201 (nginx
                // answers a `return` location before it reads the body).
                assertThat(calls("http", role, port, "POST", "201").requestBytes())
                        .as(role + " request bytes")
                        .isEqualTo(Transfer.requestBytes(transfers, "201"));
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /**
     * nginx's master holds the listening socket and a worker accepts and serves: the connection's
     * bytes must be counted against the worker, the process its requests are counted against, not
     * against the master (the listener's owner, all the kernel knows when the handshake completes).
     */
    private static void bytesBelongToTheWorkerThatServed(int port, long master, long clientPid) {
        Set<Integer> workers = KernelSensor.get().l7().stats().keySet().stream()
                .filter(k -> k.protocol().equals("http") && k.port() == port && k.role() == Role.SERVER)
                .map(L7State.CallKey::pid)
                .collect(Collectors.toSet());
        assertThat(workers).isNotEmpty().doesNotContain((int) master);
        // curl has exited and nginx closes after each 500: every connection is closed on both sides.
        // (The test's own probe of the port, which sends nothing, stays with the master.)
        Map<NetworkState.PeerKey, NetworkState.PeerStats> served;
        try {
            served = await(() -> {
                long clientCloses = curlSide(port, clientPid).closed();
                Map<NetworkState.PeerKey, NetworkState.PeerStats> m = serverSide(port);
                long serverCloses = m.values().stream()
                        .mapToLong(NetworkState.PeerStats::closed)
                        .sum();
                return Optional.of(m).filter(x -> clientCloses > 0 && serverCloses == clientCloses);
            });
        } catch (AssertionError e) {
            throw new AssertionError("master " + master + ", workers " + workers + ", client " + clientPid + ": "
                    + KernelSensor.get().network().peers().entrySet().stream()
                            .filter(x -> x.getKey().port() == port)
                            .toList());
        }
        assertThat(served.keySet()).extracting(NetworkState.PeerKey::pid).isSubsetOf(workers);
        long received = served.values().stream()
                .mapToLong(NetworkState.PeerStats::bytesReceived)
                .sum();
        long sent = served.values().stream()
                .mapToLong(NetworkState.PeerStats::bytesSent)
                .sum();
        NetworkState.PeerStats curl = curlSide(port, clientPid);
        assertThat(received).isPositive().isEqualTo(curl.bytesSent());
        assertThat(sent).isPositive().isEqualTo(curl.bytesReceived());
    }

    private static NetworkState.PeerStats curlSide(int port, long clientPid) {
        return KernelSensor.get().network().peers().entrySet().stream()
                .filter(e -> e.getKey().pid() == clientPid
                        && e.getKey().port() == port
                        && e.getKey().role() == Role.CLIENT)
                .map(Map.Entry::getValue)
                .reduce((a, b) -> {
                    throw new AssertionError("one peer key per client, port and role");
                })
                .orElse(new NetworkState.PeerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private static Map<NetworkState.PeerKey, NetworkState.PeerStats> serverSide(int port) {
        return KernelSensor.get().network().peers().entrySet().stream()
                .filter(e -> e.getKey().role() == Role.SERVER
                        && e.getKey().port() == port
                        && (e.getValue().bytesSent() > 0 || e.getValue().bytesReceived() > 0))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** curl's account of each transfer: status, request header and body bytes, response header and body bytes. */
    private static final String TRANSFER =
            "%{http_code} %{size_request} %{size_upload} %{size_header} %{size_download}\\n";

    private record Transfer(String status, long requestBytes, long responseBytes) {

        static List<Transfer> parse(String out) {
            return out.lines()
                    .map(l -> l.split(" "))
                    .map(f -> new Transfer(
                            f[0],
                            Long.parseLong(f[1]) + Long.parseLong(f[2]),
                            Long.parseLong(f[3]) + Long.parseLong(f[4])))
                    .toList();
        }

        static long requestBytes(List<Transfer> transfers, String status) {
            return transfers.stream()
                    .filter(t -> status == null || t.status.equals(status))
                    .mapToLong(Transfer::requestBytes)
                    .sum();
        }

        static long responseBytes(List<Transfer> transfers, String status) {
            return transfers.stream()
                    .filter(t -> status == null || t.status.equals(status))
                    .mapToLong(Transfer::responseBytes)
                    .sum();
        }
    }

    private static List<String> expectedCodes() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < OK; i++) {
            codes.add("200");
        }
        for (int i = 0; i < MISSING; i++) {
            codes.add("404");
        }
        for (int i = 0; i < BROKEN; i++) {
            codes.add("500");
        }
        return codes;
    }

    /**
     * Starts nginx in the foreground with one worker on {@code host:port}, its files under
     * {@code dir}; {@code http} goes into the http block, {@code locations} into the server block.
     */
    static Process startNginx(Path nginx, Path dir, String host, int port, String http, String locations)
            throws IOException {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    %3$s
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen %5$s:%2$d;
                %4$s    }
                }
                """.formatted(dir, port, http, locations.indent(8), host));
        return new ProcessBuilder(
                        nginx.toString(),
                        "-p",
                        dir.toString(),
                        "-e",
                        dir.resolve("error.log").toString(),
                        "-c",
                        conf.toString())
                .redirectErrorStream(true)
                .start();
    }
}
