package dev.nightjar.ingest.metrics;

import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Prometheus remote_write 1.0 receiver. Status codes follow Prometheus' convention for senders: 204 when
 * everything is stored, 400 for what retrying cannot fix (the sender drops it), 413/415 for bodies it must
 * not send again, 503 when the store cannot make samples durable right now (the sender retries).
 */
@Path("/api/v1/write")
@RolesAllowed(Permissions.INGEST)
public class RemoteWriteResource {
    private static final Logger LOG = Logger.getLogger(RemoteWriteResource.class);

    private final MetricsWriter writer;
    private final CurrentCaller caller;
    private final RemoteWriteDecoder decoder;
    private final RemoteWriteLimits limits;
    private final MeterRegistry meters;
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> samples =
            new java.util.concurrent.ConcurrentHashMap<>();

    RemoteWriteResource(
            MetricsWriter writer,
            CurrentCaller caller,
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
        this.caller = caller;
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

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response write(
            // The whole body as one array, read by the HTTP layer before the handler runs: a blocking
            // InputStream hands each chunk from the event loop to the worker thread, which profiling
            // showed costing more than decoding it. Quarkus' max-body-size bounds what is read.
            byte[] body,
            @HeaderParam("Content-Encoding") String encoding,
            @HeaderParam("Content-Type") String contentType) {
        TenantId tenant = caller.get().tenant();
        try {
            checkHeaders(encoding, contentType);
            MetricsBatch batch = decoder.decodeSnappy(readBounded(body));
            AppendResult result = writer.append(tenant, batch);
            count("accepted", result.accepted());
            count("too_old", result.tooOld());
            count("duplicate", result.duplicates());
            if (result.rejected() > 0) {
                // Stored samples stay stored; the rest can never be accepted, so the sender must not retry.
                return plain(
                        400,
                        result.rejected() + " samples rejected (" + result.tooOld()
                                + " out of order or too old, " + result.duplicates()
                                + " duplicate timestamps with another value); " + result.accepted() + " accepted");
            }
            return Response.noContent().build();
        } catch (RemoteWriteException e) {
            reject("invalid");
            return plain(e.status(), e.getMessage());
        } catch (SeriesLimitExceededException e) {
            reject("series_limit");
            return plain(400, "series limit exceeded: " + e.getMessage());
        } catch (MetricsStoreException e) {
            reject("store_unavailable");
            LOG.warnf("remote_write for tenant %s not stored: %s", tenant, e.getMessage());
            return plain(e.retryable() ? 503 : 500, "metrics store: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            reject("invalid");
            return plain(400, e.getMessage());
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

    private byte[] readBounded(byte[] body) {
        if (body == null || body.length == 0) {
            throw new RemoteWriteException(400, "empty body");
        }
        if (body.length > limits.maxCompressedBytes()) {
            throw new RemoteWriteException(
                    413, "body larger than " + limits.maxCompressedBytes() + " bytes (compressed)");
        }
        return body;
    }

    private void count(String outcome, long n) {
        if (n > 0) {
            // Looked up once per outcome: a registry lookup with tags on every request shows in profiles.
            samples.computeIfAbsent(outcome, o -> meters.counter("nightjar_remote_write_samples", "outcome", o))
                    .increment(n);
        }
    }

    private void reject(String reason) {
        meters.counter("nightjar_remote_write_rejected_requests", "reason", reason)
                .increment();
    }

    private static Response plain(int status, String message) {
        return Response.status(status)
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity(message + "\n")
                .build();
    }
}
