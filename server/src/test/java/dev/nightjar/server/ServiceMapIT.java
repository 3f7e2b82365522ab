package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service map end to end on the packaged server: sensor-shaped OTLP metrics (the node sensor's exact
 * metric and attribute names) over OTLP/HTTP protobuf, then the graph from {@code /api/v1/service-map}.
 */
class ServiceMapIT {
    static final String KEY = "nj_service_map_it_admin_key_0123456789";
    /** Whole seconds, two minutes ago, so every sample is inside the store's out-of-order window. */
    static final long T0 = (System.currentTimeMillis() / 1000 - 120) * 1000;

    static final int SCRAPES = 5;

    @TempDir
    static Path dataDir;

    static ServerProcess server;

    @BeforeAll
    static void start() {
        server = ServerProcess.start(dataDir, Map.of("NIGHTJAR_BOOTSTRAP_API_KEY", KEY));
        List<Metric> metrics = new ArrayList<>();
        Map<String, String> app = process("100", "app");
        Map<String, String> db = process("200", "postgres");
        metrics.add(gauge("nightjar.tcp.listening", with(db, "server.address", "0.0.0.0", "server.port", "5432")));
        metrics.add(gauge("nightjar.tcp.listening", with(app, "server.address", "0.0.0.0", "server.port", "8080")));
        Map<String, String> toDb = client(app, "127.0.0.1", "", "5432");
        metrics.add(counter("nightjar.tcp.connects", "{connection}", with(toDb, "outcome", "established"), 3));
        metrics.add(counter("nightjar.tcp.bytes", "By", with(toDb, "direction", "sent"), 1000));
        metrics.add(
                counter("nightjar.l7.requests", "{request}", with(toDb, "network.protocol.name", "postgresql"), 20));
        metrics.add(counter("nightjar.l7.errors", "{request}", with(toDb, "network.protocol.name", "postgresql"), 2));
        Map<String, String> toApi = client(app, "93.184.216.34", "api.example.com", "443");
        metrics.add(counter("nightjar.tcp.connects", "{connection}", with(toApi, "outcome", "established"), 1));
        metrics.add(counter("nightjar.tcp.connects", "{connection}", with(toApi, "outcome", "refused"), 1));
        Map<String, String> hostile = client(process("300", "<script>alert(1)</script>"), "10.0.0.7", "", "6379");
        metrics.add(counter("nightjar.tcp.connects", "{connection}", with(hostile, "outcome", "established"), 1));

        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", "nightjar-sensor"))
                                .addAttributes(kv("host.name", "node-1")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
                .build();
        HttpResponse<String> exported = server.send(HttpRequest.newBuilder(server.uri("/v1/metrics"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())));
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void graphFromSensorMetrics() {
        HttpResponse<String> response = map("?from=" + T0 / 1000 + "&to=" + (T0 + (SCRAPES - 1) * 15_000) / 1000, KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        Map<String, JsonNode> byName = new HashMap<>();
        Map<String, String> nameOfId = new HashMap<>();
        body.get("nodes").forEach(n -> {
            byName.put(n.get("name").asText(), n);
            nameOfId.put(n.get("id").asText(), n.get("name").asText());
        });
        assertThat(byName)
                .containsOnlyKeys(
                        "app:8080",
                        "postgres:5432",
                        "api.example.com:443",
                        "<script>alert(1)</script>",
                        "10.0.0.7:6379");
        assertThat(byName.get("api.example.com:443").get("placement").asText()).isEqualTo("EXTERNAL");
        assertThat(byName.get("10.0.0.7:6379").get("placement").asText()).isEqualTo("INTERNAL");
        Map<String, JsonNode> edges = new HashMap<>();
        body.get("edges")
                .forEach(e -> edges.put(
                        nameOfId.get(e.get("source").asText()) + " -> "
                                + nameOfId.get(e.get("target").asText()),
                        e));
        assertThat(edges)
                .containsOnlyKeys(
                        "app:8080 -> postgres:5432",
                        "app:8080 -> api.example.com:443",
                        "<script>alert(1)</script> -> 10.0.0.7:6379");
        JsonNode db = edges.get("app:8080 -> postgres:5432");
        assertThat(db.at("/traffic/connects").asDouble()).isCloseTo(12, org.assertj.core.data.Offset.offset(0.5));
        assertThat(db.at("/red/requests").asDouble()).isCloseTo(80, org.assertj.core.data.Offset.offset(1.0));
        assertThat(db.at("/red/errorRatio").asDouble()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));
        JsonNode api = edges.get("app:8080 -> api.example.com:443");
        assertThat(api.at("/tcp/failedConnects/refused").asDouble()).isGreaterThan(0);
        assertThat(api.at("/health/reliability").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(api.at("/health/composite").asDouble())
                .isLessThan(db.at("/health/composite").asDouble());
    }

    @Test
    void limitsAndAccess() {
        assertThat(map("?from=200&to=100", KEY).statusCode()).isEqualTo(400);
        assertThat(map("?from=0&to=" + 30L * 24 * 3600, KEY).statusCode()).isEqualTo(400);
        assertThat(map("?from=yesterday", KEY).statusCode()).isEqualTo(400);
        assertThat(map("", null).statusCode()).isEqualTo(401);
        // Default range (the last hour) answers too.
        assertThat(map("", KEY).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> map(String query, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/api/v1/service-map" + query))
                .GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return server.send(request);
    }

    static Map<String, String> process(String pid, String exe) {
        Map<String, String> a = new HashMap<>();
        a.put("process.pid", pid);
        a.put("process.executable.name", exe);
        a.put("process.executable.path", "/usr/bin/" + exe);
        a.put("container.id", "");
        return a;
    }

    static Map<String, String> client(Map<String, String> proc, String address, String name, String port) {
        return with(
                proc,
                "network.peer.address",
                address,
                "network.peer.name",
                name,
                "server.port",
                port,
                "nightjar.role",
                "client");
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> out = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static List<KeyValue> attributes(Map<String, String> attributes) {
        return attributes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().equals("process.pid") || e.getKey().equals("server.port")
                        ? KeyValue.newBuilder()
                                .setKey(e.getKey())
                                .setValue(AnyValue.newBuilder().setIntValue(Long.parseLong(e.getValue())))
                                .build()
                        : kv(e.getKey(), e.getValue()))
                .toList();
    }

    /** A cumulative counter growing by {@code perScrape} every 15 s, as the sensor exports it. */
    static Metric counter(String name, String unit, Map<String, String> attributes, double perScrape) {
        Sum.Builder sum = Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int i = 0; i < SCRAPES; i++) {
            sum.addDataPoints(NumberDataPoint.newBuilder()
                    .setStartTimeUnixNano((T0 - 1000) * 1_000_000)
                    .setTimeUnixNano((T0 + i * 15_000L) * 1_000_000)
                    .setAsDouble(perScrape * i)
                    .addAllAttributes(attributes(attributes)));
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setSum(sum).build();
    }

    static Metric gauge(String name, Map<String, String> attributes) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < SCRAPES; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder()
                    .setTimeUnixNano((T0 + i * 15_000L) * 1_000_000)
                    .setAsInt(1)
                    .addAllAttributes(attributes(attributes)));
        }
        return Metric.newBuilder()
                .setName(name)
                .setUnit("{socket}")
                .setGauge(gauge)
                .build();
    }
}
