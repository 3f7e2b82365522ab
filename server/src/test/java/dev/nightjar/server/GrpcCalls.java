package dev.nightjar.server;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * Raw unary calls to {@code MetricsService/Export} on the OTLP/gRPC port over HTTP/2 with prior knowledge,
 * for hostile messages an SDK exporter would never send (oversized, gzip bombs, garbage).
 */
final class GrpcCalls implements AutoCloseable {
    static final String METRICS_PATH = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final int port;

    GrpcCalls(int port) {
        this.port = port;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setMaxPoolSize(1));
    }

    record Call(int httpStatus, MultiMap headers, MultiMap trailers, Buffer body) {
        /** A trailers-only answer carries the status in its headers. */
        String grpcStatus() {
            String s = trailers.get("grpc-status");
            return s != null ? s : headers.get("grpc-status");
        }

        String grpcMessage() {
            String s = trailers.get("grpc-message");
            return s != null ? s : headers.get("grpc-message");
        }

        byte[] message() {
            return body.getBytes(5, body.length());
        }
    }

    /** One length-prefixed message; {@code compressed} sets the flag and {@code grpc-encoding: gzip}. */
    Call call(String apiKey, byte[] message, boolean compressed) throws Exception {
        Buffer framed = Buffer.buffer()
                .appendByte((byte) (compressed ? 1 : 0))
                .appendInt(message.length)
                .appendBytes(message);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(METRICS_PATH)
                .putHeader("content-type", "application/grpc")
                .putHeader("te", "trailers");
        if (compressed) {
            options.putHeader("grpc-encoding", "gzip");
        }
        if (apiKey != null) {
            options.putHeader("authorization", "Bearer " + apiKey);
        }
        return client.request(options)
                .compose(req -> req.send(framed))
                .compose(resp ->
                        resp.body().map(body -> new Call(resp.statusCode(), resp.headers(), resp.trailers(), body)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
