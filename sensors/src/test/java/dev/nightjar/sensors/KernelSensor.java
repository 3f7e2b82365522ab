package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.sensors.export.ExportStats;
import dev.nightjar.sensors.export.SensorMetrics;
import dev.nightjar.testing.ExternalPiece;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One sensor for every kernel test class in this JVM: loading and attaching the objects costs
 * more than most tests, and two sensors would see (and pay for) the same traffic twice.
 */
final class KernelSensor {

    private static Sensor sensor;

    private KernelSensor() {}

    static synchronized Sensor get() {
        if (sensor == null) {
            Kernel kernel = Kernel.probe();
            ExternalPiece.require(
                    kernel.root() && kernel.btf() && kernel.libbpf(), "root, kernel BTF and libbpf for eBPF");
            Sensor started = Sensor.start(EnumSet.allOf(Feature.class));
            started.status()
                    .values()
                    .forEach(s -> assertThat(s.on()).as(s.describe()).isTrue());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            sensor = started;
        }
        return sensor;
    }

    /** Events arrive asynchronously through ring buffers; wait for them, don't time them. */
    static <T> T await(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            get().refresh();
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                // The sensor's own loss counters, so a miss in CI says whether an event was dropped.
                Sensor sensor = get();
                throw new AssertionError("the sensor did not report it within 30 s (kernel drops "
                        + sensor.kernelDrops() + ", decode errors " + sensor.decodeErrors() + ", peers over the limit "
                        + sensor.network().overflowed() + ")");
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A loopback server socket on a port the shared sensor has no record of. The sensor outlives
     * each test, and a port an earlier test's server had (the kernel hands ports out again) would
     * put that test's connections among the ones a test finds by port.
     */
    static java.net.ServerSocket unseenServer(int backlog) throws java.io.IOException {
        for (int attempt = 0; ; attempt++) {
            var server = new java.net.ServerSocket(0, backlog, java.net.InetAddress.getLoopbackAddress());
            int port = server.getLocalPort();
            boolean seen = get().network().peers().keySet().stream().anyMatch(k -> k.port() == port)
                    || get().network().connections().stream()
                            .anyMatch(c ->
                                    c.tuple().sourcePort() == port || c.tuple().destinationPort() == port);
            if (!seen || attempt == 50) {
                return server;
            }
            server.close();
        }
    }

    /** Every L7 series of a server port with its count, one per line: what a failing assertion shows. */
    static String l7Seen(int port) {
        StringBuilder b = new StringBuilder();
        get().l7().stats().forEach((k, v) -> {
            if (k.port() == port) {
                b.append(k).append(" = ").append(v.count()).append('\n');
            }
        });
        return b.toString();
    }

    /** L7 calls of one protocol, role and server port, summed over processes and statuses (sizes -1 where any is unknown). */
    static L7State.CallStats calls(String protocol, Role role, int port, String operation, String status) {
        long count = 0;
        long errors = 0;
        double seconds = 0;
        long[] buckets = new long[L7State.BOUNDS.length + 1];
        long requestBytes = 0;
        long responseBytes = 0;
        for (Map.Entry<L7State.CallKey, L7State.CallStats> e :
                get().l7().stats().entrySet()) {
            L7State.CallKey k = e.getKey();
            if (k.protocol().equals(protocol)
                    && k.role() == role
                    && k.port() == port
                    && k.operation().equals(operation)
                    && (status == null || k.status().equals(status))) {
                L7State.CallStats s = e.getValue();
                count += s.count();
                errors += s.errors();
                seconds += s.latencySecondsSum();
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] += s.bucketCounts()[i];
                }
                requestBytes = requestBytes < 0 || s.requestBytes() < 0 ? -1 : requestBytes + s.requestBytes();
                responseBytes = responseBytes < 0 || s.responseBytes() < 0 ? -1 : responseBytes + s.responseBytes();
            }
        }
        return new L7State.CallStats(count, errors, seconds, buckets, requestBytes, responseBytes);
    }

    /** The sensor's OTLP metrics as the exporter would send them now. */
    static List<Metric> exported() {
        return new SensorMetrics(get(), "test-node", 0, new ExportStats())
                .collect(System.currentTimeMillis() * 1_000_000L)
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetricsList();
    }

    /** Sum of the exported counter's points whose attributes include all of {@code match}. */
    static long exportedSum(String metric, Map<String, Object> match) {
        return exported().stream()
                .filter(m -> m.getName().equals(metric))
                .flatMap(m -> m.getSum().getDataPointsList().stream())
                .filter(p -> matches(p.getAttributesList(), match))
                .mapToLong(NumberDataPoint::getAsInt)
                .sum();
    }

    /** Total count of the exported histogram's points whose attributes include all of {@code match}. */
    static long exportedHistogramCount(String metric, Map<String, Object> match) {
        return exported().stream()
                .filter(m -> m.getName().equals(metric))
                .flatMap(m -> m.getHistogram().getDataPointsList().stream())
                .filter(p -> matches(p.getAttributesList(), match))
                .mapToLong(HistogramDataPoint::getCount)
                .sum();
    }

    private static boolean matches(List<KeyValue> attributes, Map<String, Object> match) {
        return match.entrySet().stream()
                .allMatch(m -> attributes.stream()
                        .anyMatch(a -> a.getKey().equals(m.getKey()) && same(a.getValue(), m.getValue())));
    }

    private static boolean same(AnyValue value, Object expected) {
        return switch (expected) {
            case Integer i -> value.getIntValue() == i;
            case Long l -> value.getIntValue() == l;
            default -> value.getStringValue().equals(expected.toString());
        };
    }

    /** The loopback address: a client and server here are paired (bpf/src/loopback.h). */
    static final String LOOPBACK = "127.0.0.1";

    /**
     * A local address that is not loopback (198.18.0.0/15 is set aside for benchmarks), added to
     * {@code lo} for this JVM: traffic to it stays on this host, but each end parses its own side,
     * as between containers or hosts. Traffic tests run on both.
     */
    static final String LOCAL = "198.18.0.1";

    private static boolean localAdded;

    /** {@code host}, ready to bind: {@link #LOCAL} is added to {@code lo} on first use. */
    static synchronized String host(String host) throws IOException, InterruptedException {
        if (host.equals(LOCAL) && !localAdded) {
            Process add = new ProcessBuilder("ip", "addr", "replace", LOCAL + "/32", "dev", "lo")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(add.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            ExternalPiece.require(add.waitFor() == 0, "ip (iproute2) to add " + LOCAL + " to lo: " + out);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("ip", "addr", "del", LOCAL + "/32", "dev", "lo")
                            .start()
                            .waitFor();
                } catch (IOException | InterruptedException e) {
                    // the address stays on lo: harmless, and replaced by the next run
                }
            }));
            localAdded = true;
        }
        return host;
    }

    /** Waits until a server a test started accepts connections on loopback. */
    static void awaitListening(int port, Process server) {
        awaitListening("127.0.0.1", port, server);
    }

    static void awaitListening(String host, int port, Process server) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("server on port " + port + " did not start", e);
                }
                sleep(50);
            }
        }
    }
}
