package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.sensors.export.ExportStats;
import dev.nightjar.sensors.export.Exporter;
import dev.nightjar.sensors.export.SensorMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend goes down while real traffic flows: the sensor's batches wait on disk and arrive in
 * order once it is back, with the traffic's exact byte totals; past the buffer cap the oldest
 * batches are dropped and the drop is counted and exported.
 */
class OutageTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private HttpServer receiver;
    private final AtomicBoolean down = new AtomicBoolean();
    private final List<byte[]> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        receiver.createContext("/v1/metrics", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down.get()) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(body);
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        receiver.createContext("/v1/traces", exchange -> {
            exchange.sendResponseHeaders(down.get() ? 503 : 200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void bufferedBatchesArriveAfterTheOutageWithExactTotalsAndDropsAreCounted(@TempDir Path dir) throws Exception {
        Sensor sensor = KernelSensor.get();
        try (ServerSocket server = new ServerSocket(0, 8, LOOPBACK)) {
            int port = server.getLocalPort();
            ExportStats stats = new ExportStats();
            SensorMetrics metrics = new SensorMetrics(sensor, "test-node", 0, stats);
            String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
            long[] sent = {100_000, 250_000, 7_777};
            try (Exporter exporter = new Exporter(
                    endpoint,
                    Map.of(),
                    dir.resolve("buffer"),
                    64 << 20,
                    3_600_000,
                    stats,
                    now -> metrics.collect(now).toByteArray(),
                    Optional::empty)) {
                down.set(true);
                long total = 0;
                for (long bytes : sent) {
                    total += bytes;
                    LoopbackTransfer.send(server, bytes);
                    long expected = total;
                    await(() -> Optional.of(LoopbackTransfer.clientBytes(sensor, port))
                            .filter(b -> b == expected));
                    exporter.exportOnce(); // refused: kept on disk
                }
                assertThat(received).isEmpty();
                assertThat(stats.failures()).isEqualTo(sent.length);
                assertThat(stats.bufferedBytes()).isPositive();

                down.set(false);
                exporter.exportOnce(); // the three kept batches, then a fresh one, in order
            }
            assertThat(received).hasSize(sent.length + 1);
            long cumulative = 0;
            for (int i = 0; i < sent.length; i++) {
                cumulative += sent[i];
                assertThat(exportedClientBytes(received.get(i), port)).isEqualTo(cumulative);
            }
            assertThat(exportedClientBytes(received.get(sent.length), port)).isEqualTo(cumulative);
            assertThat(stats.droppedBatches()).isZero();
            assertThat(stats.bufferedBytes()).isZero();

            // Past the cap: room for about two batches, five exports while down.
            received.clear();
            long cap = metrics.collect(System.currentTimeMillis() * 1_000_000L).getSerializedSize() * 5L / 2;
            ExportStats capped = new ExportStats();
            SensorMetrics cappedMetrics = new SensorMetrics(sensor, "test-node", 0, capped);
            int exports = 5;
            try (Exporter exporter = new Exporter(
                    endpoint,
                    Map.of(),
                    dir.resolve("small"),
                    cap,
                    3_600_000,
                    capped,
                    now -> cappedMetrics.collect(now).toByteArray(),
                    Optional::empty)) {
                down.set(true);
                for (int i = 0; i < exports; i++) {
                    LoopbackTransfer.send(server, 1_000);
                    exporter.exportOnce();
                }
                down.set(false);
                exporter.exportOnce();
                exporter.exportOnce(); // a snapshot taken after the last drop, to read the count in
            }
            long dropped = capped.droppedBatches();
            assertThat(dropped).isPositive();
            // Nothing vanishes silently: every batch either arrived or is counted as dropped.
            assertThat(received.size() + dropped).isEqualTo(exports + 2);
            ExportMetricsServiceRequest last = ExportMetricsServiceRequest.parseFrom(received.getLast());
            assertThat(sum(last, "nightjar.sensor.dropped", "reason", "buffer_full"))
                    .isEqualTo(dropped);
        }
    }

    private static long exportedClientBytes(byte[] body, int port) throws IOException {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
        return request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
                .filter(m -> m.getName().equals("nightjar.tcp.bytes"))
                .flatMap(m -> m.getSum().getDataPointsList().stream())
                .filter(p -> has(p.getAttributesList(), "server.port", port)
                        && has(p.getAttributesList(), "nightjar.role", "client")
                        && has(p.getAttributesList(), "direction", "sent"))
                .mapToLong(p -> p.getAsInt())
                .sum();
    }

    private static long sum(ExportMetricsServiceRequest request, String metric, String key, String value) {
        return request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
                .filter(m -> m.getName().equals(metric))
                .flatMap(m -> m.getSum().getDataPointsList().stream())
                .filter(p -> has(p.getAttributesList(), key, value))
                .mapToLong(p -> p.getAsInt())
                .sum();
    }

    private static boolean has(List<KeyValue> attributes, String key, Object value) {
        return attributes.stream()
                .anyMatch(a -> a.getKey().equals(key)
                        && (value instanceof Integer i
                                ? a.getValue().getIntValue() == i
                                : a.getValue().getStringValue().equals(value)));
    }
}
