package dev.nightjar.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nightjar.core.TenantId;
import dev.nightjar.ingest.ExportResult;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestLimits;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.IngestUnavailableException;
import dev.nightjar.ingest.TelemetryIngest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What both OTLP receivers do with a request body once it has arrived: authenticate, decompress under
 * the cap, parse, ingest, and map every outcome to one {@link ExportReply}. Blocking; runs off the event
 * loop.
 */
public final class OtlpExports {
    private static final Logger LOG = Logger.getLogger(OtlpExports.class.getName());

    public enum Signal {
        LOGS("logs"),
        SPANS("spans"),
        METRICS("metrics");

        final String metricName;

        Signal(String metricName) {
            this.metricName = metricName;
        }
    }

    private final TelemetryIngest ingest;
    private final IngestAuthenticator authenticator;
    private final IngestLimits limits;
    private final IngestMetrics metrics;
    private final OtlpMetricsExport metricsExport;

    public OtlpExports(
            TelemetryIngest ingest, IngestAuthenticator authenticator, IngestLimits limits, IngestMetrics metrics) {
        this(ingest, authenticator, limits, metrics, null);
    }

    /** With a metrics store, the OTLP ports take metrics too; without one they answer 404/UNIMPLEMENTED. */
    public OtlpExports(
            TelemetryIngest ingest,
            IngestAuthenticator authenticator,
            IngestLimits limits,
            IngestMetrics metrics,
            dev.nightjar.core.metrics.MetricsWriter metricsWriter) {
        this.ingest = ingest;
        this.authenticator = authenticator;
        this.limits = limits;
        this.metrics = metrics;
        this.metricsExport = metricsWriter == null ? null : new OtlpMetricsExport(metricsWriter, metrics);
    }

    IngestLimits limits() {
        return limits;
    }

    IngestMetrics metrics() {
        return metrics;
    }

    ExportReply export(Signal signal, String transport, String authorization, byte[] body, boolean gzip, boolean json) {
        String name = signal.metricName;
        metrics.bytes(name, transport, body.length);
        IngestAuthenticator.Outcome auth = authenticator.authenticate(authorization);
        if (!auth.ok()) {
            String reason = auth.status() == 403 ? "forbidden" : "unauthenticated";
            metrics.requestRejected(name, transport, reason);
            return ExportReply.error(
                    auth.status(),
                    auth.status() == 403 ? RpcStatus.PERMISSION_DENIED : RpcStatus.UNAUTHENTICATED,
                    auth.message());
        }
        byte[] raw;
        try {
            raw = gzip ? Decompression.gunzip(body, limits.maxDecompressedBytes()) : body;
        } catch (BodyTooLargeException e) {
            metrics.requestRejected(name, transport, "too_large");
            return ExportReply.error(413, RpcStatus.RESOURCE_EXHAUSTED, e.getMessage());
        } catch (IOException e) {
            metrics.requestRejected(name, transport, "malformed");
            return ExportReply.error(400, RpcStatus.INVALID_ARGUMENT, "body is not valid gzip: " + e.getMessage());
        }
        try {
            return switch (signal) {
                case LOGS -> logs(auth.tenant(), raw, json);
                case SPANS -> spans(auth.tenant(), raw, json);
                case METRICS ->
                    metricsExport == null
                            ? ExportReply.error(404, RpcStatus.UNIMPLEMENTED, "metrics are not served here")
                            : metricsExport.export(auth.tenant(), transport, raw, json);
            };
        } catch (InvalidProtocolBufferException e) {
            metrics.requestRejected(name, transport, "malformed");
            return ExportReply.error(
                    400,
                    RpcStatus.INVALID_ARGUMENT,
                    "cannot parse the OTLP " + (json ? "JSON" : "protobuf") + " request: " + e.getMessage());
        } catch (IngestUnavailableException e) {
            metrics.requestRejected(name, transport, "overloaded");
            return ExportReply.retryable(e.tooManyRequests() ? 429 : 503, e.getMessage(), e.retryAfter());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "export failed", e);
            metrics.requestRejected(name, transport, "internal");
            return ExportReply.error(500, RpcStatus.INTERNAL, "internal error while storing the export");
        }
    }

    private ExportReply logs(TenantId tenant, byte[] raw, boolean json) throws InvalidProtocolBufferException {
        ExportResult result;
        if (json) {
            ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
            OtlpJson.merge(raw, b);
            result = ingest.exportLogs(tenant, b.build(), null);
        } else {
            result = ingest.exportLogs(tenant, raw);
        }
        ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
        if (result.rejected() > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(result.rejected())
                    .setErrorMessage(result.errorMessage()));
        }
        return ExportReply.ok(response.build());
    }

    private ExportReply spans(TenantId tenant, byte[] raw, boolean json) throws InvalidProtocolBufferException {
        ExportTraceServiceRequest request;
        if (json) {
            ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
            OtlpJson.merge(raw, b);
            request = b.build();
        } else {
            request = ExportTraceServiceRequest.parseFrom(raw);
        }
        ExportResult result = ingest.exportSpans(tenant, request, json ? null : raw);
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (result.rejected() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(result.rejected())
                    .setErrorMessage(result.errorMessage()));
        }
        return ExportReply.ok(response.build());
    }
}
