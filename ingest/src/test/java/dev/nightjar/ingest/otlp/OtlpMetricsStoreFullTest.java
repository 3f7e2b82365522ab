package dev.nightjar.ingest.otlp;

import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.KEY;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.LIMITS;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.TENANT;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.kv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import dev.nightjar.storage.tsdb.Tsdb;
import dev.nightjar.storage.tsdb.TsdbOptions;
import dev.nightjar.testing.SmallTmpfs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP metrics into a real TSDB whose disk is full (a 2 MiB tmpfs): both OTLP ports answer with a
 * retryable refusal and a retry delay (HTTP 503 with Retry-After, gRPC UNAVAILABLE with RetryInfo), and
 * accept again once space returns.
 */
class OtlpMetricsStoreFullTest {
    @TempDir
    Path walDir;

    @TempDir
    Path mountPoint;

    private SmallTmpfs tmpfs;
    private Vertx vertx;
    private TelemetryIngest ingest;
    private Tsdb tsdb;
    private ExecutorService pool;
    private OtlpHttpReceiver http;
    private OtlpGrpcReceiver grpc;
    private int httpPort;
    private int grpcPort;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        tmpfs = SmallTmpfs.mount(mountPoint, "2m");
        vertx = Vertx.vertx();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ingest = new TelemetryIngest(
                new InMemoryStorage(),
                WriteAheadLog.open(walDir, WalOptions.DEFAULTS, meters),
                LIMITS,
                new IngestMetrics(meters));
        tsdb = Tsdb.open(mountPoint.resolve("metrics"), TsdbOptions.DEFAULT);
        IngestAuthenticator auth = header -> KEY.equals(header)
                ? IngestAuthenticator.Outcome.allowed(TENANT)
                : IngestAuthenticator.Outcome.unauthenticated("a valid API key is required");
        OtlpExports exports = new OtlpExports(ingest, auth, LIMITS, new IngestMetrics(meters), tsdb);
        pool = Executors.newFixedThreadPool(2);
        http = new OtlpHttpReceiver(exports, pool);
        grpc = new OtlpGrpcReceiver(exports, pool);
        httpPort = http.start(vertx, "127.0.0.1", 0);
        grpcPort = grpc.start(vertx, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.stop();
            grpc.stop();
            pool.shutdownNow();
            ingest.close();
            tsdb.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    /** 400 points 100 ms apart on one series, starting at {@code startMillis}: about 5 KB of WAL. */
    private static byte[] points(long startMillis) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < 400; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder()
                    .setTimeUnixNano((startMillis + i * 100L) * 1_000_000L)
                    .setAsDouble(i));
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "full")))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder()
                                        .setName("disk.full.gauge")
                                        .setGauge(gauge))))
                .build()
                .toByteArray();
    }

    private HttpResponse<byte[]> postHttp(byte[] body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/metrics"))
                        .header("Content-Type", OtlpHttpReceiver.PROTOBUF)
                        .header("Authorization", KEY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aFullMetricsDiskIsRetryableOnBothPortsAndHealsWhenSpaceReturns() throws Exception {
        Files.write(mountPoint.resolve("filler"), new byte[1792 * 1024]);
        long t = System.currentTimeMillis() - 3_600_000L;
        HttpResponse<byte[]> refused = null;
        for (int i = 0; i < 1000 && refused == null; i++, t += 40_000) {
            HttpResponse<byte[]> r = postHttp(points(t));
            if (r.statusCode() != 200) {
                refused = r;
            }
        }
        assertThat(refused).as("the small disk filled up").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");

        var h2 = vertx.createHttpClient(
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        byte[] message = points(t + 40_000);
        Buffer framed =
                Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
        var call = h2.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(grpcPort)
                        .setURI(OtlpGrpcReceiver.METRICS_PATH)
                        .putHeader("content-type", "application/grpc")
                        .putHeader("te", "trailers")
                        .putHeader("authorization", KEY))
                .compose(req -> req.send(framed))
                .compose(resp -> resp.body().map(b -> resp.headers()))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(call.get("grpc-status")).isEqualTo("14");
        byte[] details = Base64.getDecoder().decode(call.get("grpc-status-details-bin"));
        assertThat(new String(details, StandardCharsets.ISO_8859_1))
                .contains("type.googleapis.com/google.rpc.RetryInfo");

        Files.delete(mountPoint.resolve("filler"));
        long healed = t + 80_000;
        assertThat(postHttp(points(healed)).statusCode()).isEqualTo(200);
        assertThat(tsdb.select(TENANT, List.of(Matcher.metricName("disk_full_gauge")), healed, healed + 40_000))
                .singleElement()
                .satisfies(series -> assertThat(series.samples().next()).isTrue());
    }
}
