package dev.nightjar.ingest.otlp;

import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.KEY;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.LIMITS;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.TENANT;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.log;
import static dev.nightjar.ingest.otlp.OtlpHttpReceiverTest.logs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpGrpcReceiverTest {
    @TempDir
    Path walDir;

    private Vertx vertx;
    private InMemoryStorage storage;
    private TelemetryIngest ingest;
    private OtlpGrpcReceiver receiver;
    private ExecutorService pool;
    private HttpClient client;
    private int port;

    record Call(int httpStatus, MultiMap headers, MultiMap trailers, Buffer body) {
        String grpcStatus() {
            String s = trailers.get("grpc-status");
            return s != null ? s : headers.get("grpc-status");
        }
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        storage = new InMemoryStorage();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ingest = new TelemetryIngest(
                storage, WriteAheadLog.open(walDir, WalOptions.DEFAULTS, meters), LIMITS, new IngestMetrics(meters));
        IngestAuthenticator auth = header -> KEY.equals(header)
                ? IngestAuthenticator.Outcome.allowed(TENANT)
                : IngestAuthenticator.Outcome.unauthenticated("a valid API key is required");
        pool = Executors.newFixedThreadPool(2);
        receiver = new OtlpGrpcReceiver(new OtlpExports(ingest, auth, LIMITS, new IngestMetrics(meters)), pool);
        port = receiver.start(vertx, "127.0.0.1", 0);
        client = vertx.createHttpClient(
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    }

    @AfterEach
    void stop() {
        receiver.stop();
        pool.shutdownNow();
        ingest.close();
        vertx.close();
    }

    Call call(String path, String auth, byte[] message) throws Exception {
        Buffer framed =
                Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(path)
                .putHeader("content-type", "application/grpc")
                .putHeader("te", "trailers");
        if (auth != null) {
            options.putHeader("authorization", auth);
        }
        return client.request(options)
                .compose(req -> req.send(framed))
                .compose(resp ->
                        resp.body().map(body -> new Call(resp.statusCode(), resp.headers(), resp.trailers(), body)))
                .toCompletionStage()
                .toCompletableFuture()
                // Bounded: a stalled HTTP/2 stream (seen once in CI on the oversized call) fails the test
                // instead of hanging the build.
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void exportsLogsOverGrpc() throws Exception {
        long t = System.currentTimeMillis() * 1_000_000L;
        Call call =
                call(OtlpGrpcReceiver.LOGS_PATH, KEY, logs(log("over grpc", t)).toByteArray());
        assertThat(call.httpStatus()).isEqualTo(200);
        assertThat(call.grpcStatus()).isEqualTo("0");
        assertThat(call.body().getInt(1)).isEqualTo(call.body().length() - 5);
        ExportLogsServiceResponse response = ExportLogsServiceResponse.parseFrom(
                call.body().getBytes(5, call.body().length()));
        assertThat(response.hasPartialSuccess()).isFalse();
        storage.flush();
        Instant now = Instant.now();
        assertThat(storage.logReader()
                        .search(
                                TENANT,
                                LogQuery.of(LogFilter.of(new TimeRange(now.minusSeconds(60), now.plusSeconds(60))), 10))
                        .records())
                .singleElement()
                .satisfies(r -> assertThat(r.bodyText()).isEqualTo("over grpc"));
    }

    @Test
    void hostileCallsGetTheRightStatus() throws Exception {
        byte[] valid = logs(log("x", System.currentTimeMillis() * 1_000_000L)).toByteArray();
        assertThat(call(OtlpGrpcReceiver.LOGS_PATH, null, valid).grpcStatus()).isEqualTo("16");
        assertThat(call(OtlpGrpcReceiver.LOGS_PATH, "Bearer nope", valid).grpcStatus())
                .isEqualTo("16");
        Call big = call(OtlpGrpcReceiver.LOGS_PATH, KEY, new byte[70 * 1024]);
        assertThat(big.grpcStatus()).isEqualTo("8");
        assertThat(big.headers().get("grpc-message")).contains("exceeds the limit");
        assertThat(call(OtlpGrpcReceiver.LOGS_PATH, KEY, new byte[] {(byte) 0xff, 1})
                        .grpcStatus())
                .isEqualTo("3");
        assertThat(call("/some.Other/Method", KEY, valid).grpcStatus()).isEqualTo("12");
        assertThat(call(OtlpGrpcReceiver.LOGS_PATH, KEY, valid).grpcStatus()).isEqualTo("0");
    }

    @Test
    void storeOverCapacityIsUnavailableWithRetryInfo() throws Exception {
        receiver.stop();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TelemetryIngest small = new TelemetryIngest(
                new InMemoryStorage(1),
                WriteAheadLog.open(walDir.resolve("small"), WalOptions.DEFAULTS, meters),
                LIMITS,
                new IngestMetrics(meters));
        receiver = new OtlpGrpcReceiver(
                new OtlpExports(
                        small, h -> IngestAuthenticator.Outcome.allowed(TENANT), LIMITS, new IngestMetrics(meters)),
                pool);
        port = receiver.start(vertx, "127.0.0.1", 0);
        try {
            long t = System.currentTimeMillis() * 1_000_000L;
            assertThat(call(
                                    OtlpGrpcReceiver.LOGS_PATH,
                                    KEY,
                                    logs(log("fits", t)).toByteArray())
                            .grpcStatus())
                    .isEqualTo("0");
            Call refused = call(
                    OtlpGrpcReceiver.LOGS_PATH,
                    KEY,
                    logs(log("does not fit", t)).toByteArray());
            assertThat(refused.grpcStatus()).isEqualTo("14");
            assertThat(refused.headers().get("grpc-message")).contains("storage over capacity");
            byte[] details =
                    java.util.Base64.getDecoder().decode(refused.headers().get("grpc-status-details-bin"));
            assertThat(new String(details, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains("type.googleapis.com/google.rpc.RetryInfo");
        } finally {
            small.close();
        }
    }

    @Test
    void grpcMessagesArePercentEncoded() {
        assertThat(OtlpGrpcReceiver.percentEncode("100% ünïcode\n")).isEqualTo("100%25 %C3%BCn%C3%AFcode%0A");
    }
}
