package dev.nightjar.ingest.metrics;

import dev.nightjar.auth.ApiKeyCallers;
import dev.nightjar.auth.AuthorizationHeader;
import dev.nightjar.auth.Caller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Prometheus remote_write 1.0 receiver ({@code POST /api/v1/write}) as a plain Vert.x route: the body is
 * collected on the event loop up to the compressed cap, then decoded and stored on a worker thread. It
 * used to be a REST resource; profiling showed the REST layer's per-request work (blocking body stream,
 * interceptors, response writers) costing more CPU than decoding and storing the samples.
 *
 * <p>The route runs ahead of Quarkus' HTTP authentication and checks the API key itself through
 * {@link ApiKeyCallers}: the same key cache and database check, so a revoked key is refused at once, the
 * same answers (401 with the Bearer challenge for a missing, malformed, unknown or revoked key; 403
 * without the {@code ingest} scope), and the tenant comes from the key only. Profiles showed the generic
 * security chain's reactive pipeline costing about as much event-loop CPU per request as reading the
 * request. Status codes follow Prometheus' receiver convention: 204 stored, 400 for what
 * retrying cannot fix, 413/415 for bodies not to send again, 503 when the store cannot make samples
 * durable right now (the sender retries).
 */
@ApplicationScoped
public class RemoteWriteRoute {
    private static final Logger LOG = Logger.getLogger(RemoteWriteRoute.class);
    static final String PATH = "/api/v1/write";
    private static final int PREALLOCATED_MAX = 1 << 20;

    private final MetricsWriter writer;
    private final ApiKeyCallers callers;
    private final RemoteWriteDecoder decoder;
    private final RemoteWriteLimits limits;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    RemoteWriteRoute(
            MetricsWriter writer,
            ApiKeyCallers callers,
            MeterRegistry meters,
            @ConfigProperty(name = "nightjar.remote-write.max-compressed-bytes", defaultValue = "10485760")
                    int maxCompressed,
            @ConfigProperty(name = "nightjar.remote-write.max-decompressed-bytes", defaultValue = "67108864")
                    int maxDecompressed,
            @ConfigProperty(name = "nightjar.remote-write.max-series-per-request", defaultValue = "100000")
                    int maxSeries,
            @ConfigProperty(name = "nightjar.remote-write.max-samples-per-request", defaultValue = "1000000")
                    int maxSamples) {
        this.writer = writer;
        this.callers = callers;
        this.meters = meters;
        RemoteWriteLimits d = RemoteWriteLimits.DEFAULT;
        this.limits = new RemoteWriteLimits(
                maxCompressed,
                maxDecompressed,
                maxSeries,
                maxSamples,
                d.maxLabelsPerSeries(),
                d.maxLabelNameLength(),
                d.maxLabelValueLength());
        this.decoder = new RemoteWriteDecoder(limits);
    }

    void register(@Observes Router router) {
        // Ahead of Quarkus' authentication filter (CORS and header filters still run before it).
        router.post(PATH).order(-SecurityHandlerPriorities.AUTHENTICATION - 1).handler(this::receive);
    }

    private void receive(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Optional<String> key = AuthorizationHeader.apiKey(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (key.isEmpty()) {
            challenge(request);
            return;
        }
        Optional<Caller> known = callers.cached(key.get());
        if (known.isPresent()) {
            receive(ctx, known.get());
            return;
        }
        // Not verified lately: the database check runs on a worker while the (paused) body waits.
        ctx.vertx().executeBlocking(() -> callers.verify(key.get()), false).onComplete(verified -> {
            if (verified.failed()) {
                LOG.error("remote_write API key check failed", verified.cause());
                refuse(request, 503, "store_unavailable", "the API key could not be checked; retry");
            } else if (verified.result().isEmpty()) {
                challenge(request);
            } else {
                receive(ctx, verified.result().get());
            }
        });
    }

    /** 401 as Quarkus' API-key mechanism answers it, for a missing, malformed, unknown or revoked key. */
    private void challenge(HttpServerRequest request) {
        reject("unauthenticated");
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"nightjar\"");
            plain(response, 401, "an API key is required: Authorization: Bearer <key>");
        }
    }

    private void receive(RoutingContext ctx, Caller caller) {
        HttpServerRequest request = ctx.request();
        if (!caller.may(Permissions.INGEST)) {
            refuse(request, 403, "forbidden", "the API key lacks the ingest scope");
            return;
        }
        try {
            checkHeaders(request.getHeader("Content-Encoding"), request.getHeader("Content-Type"));
        } catch (RemoteWriteException e) {
            refuse(request, e.status(), "invalid", e.getMessage());
            return;
        }
        int cap = limits.maxCompressedBytes();
        String length = request.getHeader("Content-Length");
        long declared = length == null ? -1 : parseLong(length);
        if (declared > cap) {
            refuse(request, 413, "invalid", "body larger than " + cap + " bytes (compressed)");
            return;
        }
        TenantId tenant = caller.tenant();
        // Sized from Content-Length, so the body is not copied again as it grows; at most 1 MiB up front,
        // so a declared length alone (body not sent) cannot make the server allocate the whole cap.
        Buffer body = declared > 0 ? Buffer.buffer((int) Math.min(declared, PREALLOCATED_MAX)) : Buffer.buffer();
        boolean[] refused = new boolean[1];
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > cap) {
                refused[0] = true;
                refuse(request, 413, "invalid", "body larger than " + cap + " bytes (compressed)");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(done -> {
            if (refused[0]) {
                return;
            }
            ctx.vertx()
                    .executeBlocking(() -> write(tenant, body.getBytes()), false)
                    .onComplete(outcome -> {
                        HttpServerResponse response = request.response();
                        if (outcome.failed()) {
                            LOG.error("remote_write failed", outcome.cause());
                            plain(response, 500, "internal error while storing the samples");
                        } else if (outcome.result().status() == 204) {
                            response.setStatusCode(204).end();
                        } else {
                            plain(
                                    response,
                                    outcome.result().status(),
                                    outcome.result().message());
                        }
                    });
        });
        request.resume();
    }

    private record Reply(int status, String message) {}

    /** Decodes and stores one body; blocking (the store returns after its WAL fsync). */
    private Reply write(TenantId tenant, byte[] body) {
        try {
            if (body.length == 0) {
                throw new RemoteWriteException(400, "empty body");
            }
            MetricsColumns columns = decoder.decodeSnappy(body);
            AppendResult result = writer.appendColumns(tenant, columns);
            count("accepted", result.accepted());
            count("too_old", result.tooOld());
            count("duplicate", result.duplicates());
            if (result.rejected() > 0) {
                // Stored samples stay stored; the rest can never be accepted, so the sender must not retry.
                return new Reply(
                        400,
                        result.rejected() + " samples rejected (" + result.tooOld()
                                + " out of order or too old, " + result.duplicates()
                                + " duplicate timestamps with another value); " + result.accepted() + " accepted");
            }
            return new Reply(204, "");
        } catch (RemoteWriteException e) {
            reject("invalid");
            return new Reply(e.status(), e.getMessage());
        } catch (SeriesLimitExceededException e) {
            reject("series_limit");
            return new Reply(400, "series limit exceeded: " + e.getMessage());
        } catch (MetricsStoreException e) {
            reject("store_unavailable");
            LOG.warnf("remote_write for tenant %s not stored: %s", tenant, e.getMessage());
            return new Reply(e.retryable() ? 503 : 500, "metrics store: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            reject("invalid");
            return new Reply(400, e.getMessage());
        }
    }

    private static void checkHeaders(String encoding, String contentType) {
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("snappy")) {
            throw new RemoteWriteException(
                    415, "unsupported Content-Encoding \"" + encoding.strip() + "\"; remote_write uses snappy");
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("proto=io.prometheus.write.v2")) {
            throw new RemoteWriteException(415, "remote_write 2.0 is not supported; send remote_write 1.0");
        }
    }

    /** Answers before the body is read; the rest of it is not worth reading, so the connection closes. */
    private void refuse(HttpServerRequest request, int status, String reason, String message) {
        reject(reason);
        HttpServerResponse response = request.response();
        if (status == 413) {
            response.putHeader("Connection", "close");
        }
        plain(response, status, message);
    }

    private static void plain(HttpServerResponse response, int status, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "text/plain;charset=UTF-8")
                .end(message + "\n");
    }

    private void count(String outcome, long n) {
        if (n > 0) {
            // Looked up once per outcome: a registry lookup with tags on every request shows in profiles.
            counters.computeIfAbsent(
                            "samples:" + outcome,
                            k -> meters.counter("nightjar_remote_write_samples", "outcome", outcome))
                    .increment(n);
        }
    }

    private void reject(String reason) {
        counters.computeIfAbsent(
                        "rejected:" + reason,
                        k -> meters.counter("nightjar_remote_write_rejected_requests", "reason", reason))
                .increment();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
