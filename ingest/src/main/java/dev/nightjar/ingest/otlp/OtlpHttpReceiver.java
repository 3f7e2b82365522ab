package dev.nightjar.ingest.otlp;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * OTLP/HTTP ({@code POST /v1/logs}, {@code /v1/traces}, {@code /v1/metrics}; protobuf or JSON; gzip or
 * identity) on its own port and, through {@link #route(Router)}, logs and traces on any other Vert.x
 * router. The body is collected on the event loop up to the compressed cap (413 beyond it, checked
 * against Content-Length first); everything else runs on the bounded export pool, whose saturation
 * answers 429 with Retry-After.
 */
public final class OtlpHttpReceiver {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    private final OtlpExports exports;
    private final ExecutorService pool;
    private HttpServer server;

    public OtlpHttpReceiver(OtlpExports exports, ExecutorService pool) {
        this.exports = exports;
        this.pool = pool;
    }

    /** Adds the OTLP routes to a router (the main HTTP port serves them too). */
    public void route(Router router) {
        router.post("/v1/logs").handler(handler(OtlpExports.Signal.LOGS));
        router.post("/v1/traces").handler(handler(OtlpExports.Signal.SPANS));
    }

    /** Starts a dedicated HTTP server; returns the port it listens on. */
    public int start(Vertx vertx, String host, int port) {
        Router router = Router.router(vertx);
        route(router);
        // Only here: on the main port /v1/metrics belongs to the REST layer (OtlpMetricsResource).
        router.post("/v1/metrics").handler(handler(OtlpExports.Signal.METRICS));
        router.route("/v1/*")
                .handler(ctx -> plain(ctx.response(), 405, "use POST /v1/logs, /v1/traces or /v1/metrics"));
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(host)
                        .setPort(port)
                        .setMaxHeaderSize(16 * 1024)
                        .setDecompressionSupported(false))
                .requestHandler(router);
        return await(server.listen()).actualPort();
    }

    public void stop() {
        if (server != null) {
            await(server.close());
        }
    }

    private Handler<RoutingContext> handler(OtlpExports.Signal signal) {
        return ctx -> receive(ctx.request(), signal);
    }

    private void receive(HttpServerRequest request, OtlpExports.Signal signal) {
        HttpServerResponse response = request.response();
        String type = mediaType(request.getHeader("Content-Type"));
        boolean json = JSON.equals(type);
        if (!json && !PROTOBUF.equals(type)) {
            reject(request, signal, 415, "unsupported", "Content-Type must be " + PROTOBUF + " or " + JSON);
            return;
        }
        String encoding = request.getHeader("Content-Encoding");
        boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.strip().equalsIgnoreCase("identity")) {
            reject(request, signal, 415, "unsupported", "Content-Encoding must be gzip or identity");
            return;
        }
        int cap = exports.limits().maxCompressedBytes();
        String length = request.getHeader("Content-Length");
        long declared = length != null ? parseLong(length) : -1;
        if (declared > cap) {
            reject(request, signal, 413, "too_large", "request body exceeds the limit of " + cap + " bytes");
            return;
        }
        String authorization = request.getHeader("Authorization");
        // Sized from Content-Length (already checked against the cap) so the body is not copied into a
        // doubling buffer chunk after chunk; a wrong length only costs a resize.
        Body body = new Body(declared > 0 ? (int) declared : Math.min(4096, cap), cap);
        boolean[] refused = new boolean[1];
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length + chunk.length() > cap) {
                refused[0] = true;
                reject(request, signal, 413, "too_large", "request body exceeds the limit of " + cap + " bytes");
                return;
            }
            body.append(chunk);
        });
        request.endHandler(done -> {
            if (refused[0]) {
                return;
            }
            try {
                pool.execute(() -> respond(
                        response, json, exports.export(signal, "http", authorization, body.bytes(), gzip, json)));
            } catch (RejectedExecutionException busy) {
                exports.metrics().requestRejected(signal.metricName, "http", "overloaded");
                response.putHeader("Retry-After", "1");
                status(response, json, 429, RpcStatus.UNAVAILABLE, "too many export requests in flight; retry later");
            }
        });
    }

    /**
     * A request body collected straight into the array the export reads: each chunk is copied once, and
     * when Content-Length was right the array is handed over as it is (a Vert.x buffer would copy it again).
     */
    private static final class Body {
        private final int cap;
        private byte[] bytes;
        private int length;

        Body(int expected, int cap) {
            this.bytes = new byte[expected];
            this.cap = cap;
        }

        void append(Buffer chunk) {
            int n = chunk.length();
            if (length + n > bytes.length) {
                // the caller checked the sum against the cap; growth never passes it
                bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, Math.min(cap, bytes.length * 2)));
            }
            chunk.getBytes(0, n, bytes, length);
            length += n;
        }

        byte[] bytes() {
            return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
        }
    }

    private void reject(HttpServerRequest request, OtlpExports.Signal signal, int code, String reason, String msg) {
        exports.metrics().requestRejected(signal.metricName, "http", reason);
        HttpServerResponse response = request.response();
        // The rest of an unread body is not worth reading: close the connection after answering.
        if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close");
        }
        status(response, JSON.equals(mediaType(request.getHeader("Content-Type"))), code, grpcCode(code), msg);
    }

    private static void respond(HttpServerResponse response, boolean json, ExportReply reply) {
        if (reply.success()) {
            if (json) {
                response.putHeader("Content-Type", JSON).end(OtlpJson.print(reply.response()));
            } else {
                response.putHeader("Content-Type", PROTOBUF)
                        .end(Buffer.buffer(reply.response().toByteArray()));
            }
            return;
        }
        if (reply.retryAfter() != null) {
            response.putHeader(
                    "Retry-After", Long.toString(Math.max(1, reply.retryAfter().toSeconds())));
        }
        status(response, json, reply.httpStatus(), reply.grpcCode(), reply.message());
    }

    private static void status(HttpServerResponse response, boolean json, int http, int grpc, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(http);
        if (json) {
            response.putHeader("Content-Type", JSON).end(RpcStatus.json(grpc, message));
        } else {
            response.putHeader("Content-Type", PROTOBUF).end(Buffer.buffer(RpcStatus.encode(grpc, message, null)));
        }
    }

    private static void plain(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status).putHeader("Content-Type", "text/plain").end(message + "\n");
    }

    private static int grpcCode(int http) {
        return switch (http) {
            case 413 -> RpcStatus.RESOURCE_EXHAUSTED;
            case 415 -> RpcStatus.UNIMPLEMENTED;
            default -> RpcStatus.INVALID_ARGUMENT;
        };
    }

    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("OTLP server: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
