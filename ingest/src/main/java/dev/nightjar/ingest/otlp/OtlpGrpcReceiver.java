package dev.nightjar.ingest.otlp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * OTLP/gRPC ({@code LogsService/Export}, {@code TraceService/Export}, {@code MetricsService/Export})
 * served by a Vert.x HTTP/2 (cleartext, prior knowledge) server speaking the gRPC wire protocol
 * directly: one length-prefixed message in, one out, status in trailers. A unary call needs nothing more,
 * and this keeps grpc-java's runtime and its Netty out of the application next to Quarkus' own Vert.x.
 * The inbound message cap is explicit ({@link dev.nightjar.ingest.IngestLimits#maxCompressedBytes()});
 * overload answers UNAVAILABLE with a {@code google.rpc.RetryInfo} in {@code grpc-status-details-bin}.
 */
public final class OtlpGrpcReceiver {
    static final String LOGS_PATH = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    static final String TRACES_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    static final String METRICS_PATH = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    private static final int PREFIX = 5;

    private final OtlpExports exports;
    private final ExecutorService pool;
    private HttpServer server;

    public OtlpGrpcReceiver(OtlpExports exports, ExecutorService pool) {
        this.exports = exports;
        this.pool = pool;
    }

    /** Starts the server; returns the port it listens on. */
    public int start(Vertx vertx, String host, int port) {
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(host)
                        .setPort(port)
                        .setHttp2ClearTextEnabled(true)
                        .setMaxHeaderSize(16 * 1024)
                        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(16 * 1024)))
                .requestHandler(this::receive);
        return OtlpHttpReceiver.await(server.listen()).actualPort();
    }

    public void stop() {
        if (server != null) {
            OtlpHttpReceiver.await(server.close());
        }
    }

    private void receive(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        OtlpExports.Signal signal;
        if (LOGS_PATH.equals(request.path())) {
            signal = OtlpExports.Signal.LOGS;
        } else if (TRACES_PATH.equals(request.path())) {
            signal = OtlpExports.Signal.SPANS;
        } else if (METRICS_PATH.equals(request.path())) {
            signal = OtlpExports.Signal.METRICS;
        } else {
            fail(response, RpcStatus.UNIMPLEMENTED, "unknown method " + request.path(), null);
            return;
        }
        String type = OtlpHttpReceiver.mediaType(request.getHeader("content-type"));
        if (request.version() != HttpVersion.HTTP_2 || !type.startsWith("application/grpc")) {
            response.setStatusCode(415).end("gRPC needs HTTP/2 and Content-Type application/grpc\n");
            return;
        }
        String encoding = request.getHeader("grpc-encoding");
        boolean gzipAllowed = encoding != null && encoding.equalsIgnoreCase("gzip");
        int cap = exports.limits().maxCompressedBytes();
        Buffer body = Buffer.buffer();
        boolean[] refused = new boolean[1];
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > cap + PREFIX) {
                refused[0] = true;
                tooLarge(signal, response, cap);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(done -> {
            if (refused[0]) {
                return;
            }
            if (body.length() < PREFIX || body.getInt(1) != body.length() - PREFIX) {
                exports.metrics().requestRejected(signal.metricName, "grpc", "malformed");
                fail(response, RpcStatus.INVALID_ARGUMENT, "expected exactly one length-prefixed message", null);
                return;
            }
            boolean compressed = body.getByte(0) == 1;
            if (compressed && !gzipAllowed) {
                fail(response, RpcStatus.UNIMPLEMENTED, "compressed message without grpc-encoding gzip", null);
                return;
            }
            byte[] message = body.getBytes(PREFIX, body.length());
            String authorization = request.getHeader("authorization");
            try {
                pool.execute(() ->
                        reply(response, exports.export(signal, "grpc", authorization, message, compressed, false)));
            } catch (RejectedExecutionException busy) {
                exports.metrics().requestRejected(signal.metricName, "grpc", "overloaded");
                fail(
                        response,
                        RpcStatus.UNAVAILABLE,
                        "too many export requests in flight; retry later",
                        java.time.Duration.ofSeconds(1));
            }
        });
    }

    private void tooLarge(OtlpExports.Signal signal, HttpServerResponse response, int cap) {
        exports.metrics().requestRejected(signal.metricName, "grpc", "too_large");
        fail(response, RpcStatus.RESOURCE_EXHAUSTED, "message exceeds the limit of " + cap + " bytes", null);
    }

    private static void reply(HttpServerResponse response, ExportReply reply) {
        if (!reply.success()) {
            fail(response, reply.grpcCode(), reply.message(), reply.retryAfter());
            return;
        }
        byte[] message = reply.response().toByteArray();
        Buffer framed = Buffer.buffer(PREFIX + message.length)
                .appendByte((byte) 0)
                .appendInt(message.length)
                .appendBytes(message);
        response.putHeader("content-type", "application/grpc");
        response.putTrailer("grpc-status", "0");
        response.end(framed);
    }

    /** A trailers-only response: the status travels in the one header block that ends the stream. */
    private static void fail(HttpServerResponse response, int code, String message, java.time.Duration retryAfter) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader("content-type", "application/grpc");
        response.putHeader("grpc-status", Integer.toString(code));
        response.putHeader("grpc-message", percentEncode(message));
        if (retryAfter != null) {
            response.putHeader(
                    "grpc-status-details-bin",
                    Base64.getEncoder().withoutPadding().encodeToString(RpcStatus.encode(code, message, retryAfter)));
        }
        response.end();
    }

    /** gRPC's percent-encoding of {@code grpc-message}: printable ASCII but '%' stays, the rest is %XX of UTF-8. */
    static String percentEncode(String message) {
        StringBuilder sb = new StringBuilder();
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 0x20 && c <= 0x7E && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
