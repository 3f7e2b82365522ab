package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP pipelining (wrk's pipeline script, some proxies): a client written for the test sends batches
 * of requests in one write each over one keep-alive connection to Debian's nginx, which reads a
 * batch in one receive and answers with one write per response. Every exchange counts once on each
 * side, with its own method, path and status, and the whole messages' sizes; HEAD responses (no
 * body despite their Content-Length) and POST bodies keep the message boundaries. The client reads
 * its responses a byte at a time, so every head is cut across receives.
 */
class HttpPipeliningTest {

    private static final int BATCHES = 5;

    /** One batch: method, path, expected status. */
    private static final List<String[]> BATCH = List.of(
            new String[] {"GET", "/items/1", "200"},
            new String[] {"GET", "/items/2", "200"},
            new String[] {"GET", "/missing", "404"},
            new String[] {"POST", "/upload", "201"},
            new String[] {"GET", "/items/3", "200"},
            new String[] {"HEAD", "/items/4", "200"},
            new String[] {"GET", "/broken", "503"},
            new String[] {"GET", "/items/5", "200"},
            new String[] {"GET", "/missing", "404"},
            new String[] {"POST", "/upload", "201"});

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void pipelinedExchangesCountOneByOneOnBothSides(String address, @TempDir Path dir) throws Exception {
        Path nginx = Executables.find("nginx", "/usr/sbin/nginx").orElse(null);
        ExternalPiece.require(nginx != null, "nginx (Debian nginx-light)");
        KernelSensor.get();
        String host = KernelSensor.host(address);
        int port = FreePorts.next();
        Process server = NginxTrafficTest.startNginx(nginx, dir, host, port, "", """
                location /items/ { return 200 "item\\n"; }
                location /upload { return 201 "stored\\n"; }
                location /missing { return 404; }
                location /broken { return 503; }
                """);
        try {
            KernelSensor.awaitListening(host, port, server);
            Map<String, long[]> sent = new HashMap<>(); // "METHOD status" → count, request bytes, response bytes
            try (Socket socket = new Socket(InetAddress.getByName(host), port)) {
                InputStream in = socket.getInputStream();
                for (int b = 0; b < BATCHES; b++) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    long[] requestSizes = new long[BATCH.size()];
                    for (int i = 0; i < BATCH.size(); i++) {
                        byte[] request = request(BATCH.get(i)[0], BATCH.get(i)[1], host, port);
                        requestSizes[i] = request.length;
                        batch.write(request);
                    }
                    socket.getOutputStream().write(batch.toByteArray()); // one write: the whole batch
                    for (int i = 0; i < BATCH.size(); i++) {
                        String[] r = BATCH.get(i);
                        Response response = Response.read(in, r[0].equals("HEAD"));
                        assertThat(response.status()).as(r[0] + " " + r[1]).isEqualTo(r[2]);
                        long[] totals = sent.computeIfAbsent(r[0] + " " + r[2], k -> new long[3]);
                        totals[0]++;
                        totals[1] += requestSizes[i];
                        totals[2] += response.bytes();
                    }
                }
            }

            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                await(() ->
                        Optional.of(calls("http", role, port, "POST", "201")).filter(s -> s.count() == 2 * BATCHES));
                for (Map.Entry<String, long[]> e : sent.entrySet()) {
                    String[] methodStatus = e.getKey().split(" ");
                    L7State.CallStats s = calls("http", role, port, methodStatus[0], methodStatus[1]);
                    String what = role + " " + e.getKey() + "\n" + KernelSensor.l7Seen(port);
                    assertThat(s.count()).as(what).isEqualTo(e.getValue()[0]);
                    assertThat(s.requestBytes()).as(what).isEqualTo(e.getValue()[1]);
                    assertThat(s.responseBytes()).as(what).isEqualTo(e.getValue()[2]);
                    assertThat(s.errors()).as(what).isEqualTo(methodStatus[1].equals("503") ? e.getValue()[0] : 0);
                }
                assertThat(KernelSensor.get().l7().stats().keySet())
                        .filteredOn(k -> k.protocol().equals("http") && k.port() == port && k.role() == role)
                        .extracting(L7State.CallKey::target)
                        .containsExactlyInAnyOrder("/items/{id}", "/items/{id}", "/missing", "/upload", "/broken")
                        .as("no exchange counted without its own status")
                        .doesNotContain("{unseen}");
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] request(String method, String path, String host, int port) {
        String body = method.equals("POST") ? "name=value&pipelined=yes" : "";
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + (body.isEmpty()
                        ? ""
                        : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                                + "\r\n")
                + "\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** A response read off the stream: its status and its whole size (head and body). */
    private record Response(String status, long bytes) {

        static Response read(InputStream in, boolean head) throws IOException {
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed inside a response head");
                }
                headBytes.write(c);
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
            }
            String text = headBytes.toString(StandardCharsets.ISO_8859_1);
            long length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).strip());
                }
            }
            long body = head ? 0 : length;
            if (in.readNBytes((int) body).length != body) {
                throw new IOException("connection closed inside a response body");
            }
            return new Response(text.substring(9, 12), headBytes.size() + body);
        }
    }
}
