package dev.nightjar.sensors.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter against a fake OTLP/HTTP receiver on loopback that can be "down". */
class ExporterTest {

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> traces = new CopyOnWriteArrayList<>();
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private final List<String> upgrades = new CopyOnWriteArrayList<>();
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger batch = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            traces.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/v1/metrics", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            upgrades.add(String.valueOf(exchange.getRequestHeaders().getFirst("Upgrade")));
            protocols.add(exchange.getProtocol());
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(new String(body, StandardCharsets.UTF_8));
                authorization.add(exchange.getRequestHeaders().getFirst("Authorization"));
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private Exporter exporter(Path dir, long maxBytes, ExportStats stats) {
        return new Exporter(
                "http://127.0.0.1:" + receiver.getAddress().getPort(),
                Map.of("Authorization", "Bearer k1"),
                dir,
                maxBytes,
                3_600_000,
                stats,
                now -> ("batch-" + batch.incrementAndGet()).getBytes(StandardCharsets.UTF_8),
                () -> batch.get() == 1
                        ? java.util.Optional.of("spans-1".getBytes(StandardCharsets.UTF_8))
                        : java.util.Optional.empty());
    }

    @Test
    void batchesSurviveAnOutageAndArriveInOrderExactlyOnceEach(@TempDir Path dir) throws Exception {
        ExportStats stats = new ExportStats();
        try (Exporter exporter = exporter(dir, 1 << 20, stats)) {
            failNext.set(2);
            exporter.exportOnce(); // batch-1: 503, kept
            exporter.exportOnce(); // batch-1 again: 503, batch-2 kept
            assertThat(received).isEmpty();
            assertThat(stats.bufferedBytes()).isPositive();
            exporter.exportOnce(); // backend is back: 1, 2, 3 in order
        }
        assertThat(received).containsExactly("batch-1", "batch-2", "batch-3");
        assertThat(traces).containsExactly("spans-1");
        assertThat(authorization).containsOnly("Bearer k1");
        assertThat(stats.failures()).isEqualTo(2);
        assertThat(stats.bufferedBytes()).isZero();
        assertThat(stats.droppedBatches()).isZero();
    }

    @Test
    void exportsArePlainHttp11WithoutAnUpgradeRequest(@TempDir Path dir) throws Exception {
        // An h2c upgrade request made the sensor's own exports show as status 101 and then vanish
        // from its HTTP metrics; every request must stay HTTP/1.1 on the wire.
        try (Exporter exporter = exporter(dir, 1 << 20, new ExportStats())) {
            exporter.exportOnce();
            exporter.exportOnce();
        }
        assertThat(received).containsExactly("batch-1", "batch-2");
        assertThat(upgrades).containsExactly("null", "null");
        assertThat(protocols).containsExactly("HTTP/1.1", "HTTP/1.1");
    }

    @Test
    void aFullBufferDropsTheOldestBatchesAndCountsThem(@TempDir Path dir) throws Exception {
        ExportStats stats = new ExportStats();
        try (Exporter exporter = exporter(dir, 16, stats)) { // room for two 7-byte batches
            failNext.set(3);
            exporter.exportOnce();
            exporter.exportOnce();
            exporter.exportOnce();
            exporter.exportOnce();
        }
        // 503 ×3 while batches 1..4 arrive: 1 and 2 are pushed out, 3 and 4 survive.
        assertThat(stats.droppedBatches()).isEqualTo(2);
        assertThat(received).containsExactly("batch-3", "batch-4");
    }

    @Test
    void bufferedBatchesAreSentByTheNextProcess(@TempDir Path dir) throws Exception {
        failNext.set(1);
        try (Exporter first = exporter(dir, 1 << 20, new ExportStats())) {
            first.exportOnce();
        }
        try (Exporter second = exporter(dir, 1 << 20, new ExportStats())) {
            second.exportOnce();
        }
        assertThat(received).containsExactly("batch-1", "batch-2");
    }
}
