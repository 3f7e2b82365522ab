package dev.nightjar.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.metrics.OtlpMetricsIngest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.time.Duration;

/**
 * The metrics signal on the OTLP ports ({@code POST /v1/metrics} on the OTLP/HTTP port, {@code
 * MetricsService/Export} on the OTLP/gRPC port), after {@link OtlpExports} has authenticated and
 * decompressed the body. The metrics store keeps its own WAL and fsyncs it before {@code append}
 * returns, so a success reply means the samples are durable.
 */
final class OtlpMetricsExport {
    /** How long a sender should wait when the metrics store cannot make samples durable (full disk). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final OtlpMetricsIngest ingest;
    private final IngestMetrics metrics;

    OtlpMetricsExport(MetricsWriter writer, IngestMetrics metrics) {
        this.ingest = new OtlpMetricsIngest(writer);
        this.metrics = metrics;
    }

    ExportReply export(TenantId tenant, String transport, byte[] raw, boolean json)
            throws InvalidProtocolBufferException {
        ExportMetricsServiceRequest request;
        if (json) {
            ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
            OtlpJson.merge(raw, b);
            request = b.build();
        } else {
            request = ExportMetricsServiceRequest.parseFrom(raw);
        }
        try {
            ExportMetricsServiceResponse response = ingest.export(tenant, request);
            metrics.rejected("metrics", "invalid", response.getPartialSuccess().getRejectedDataPoints());
            return ExportReply.ok(response);
        } catch (SeriesLimitExceededException e) {
            // Retrying cannot help until series age out or the limit is raised: a client error, not overload.
            metrics.requestRejected("metrics", transport, "series_limit");
            return ExportReply.error(400, RpcStatus.INVALID_ARGUMENT, "series limit exceeded: " + e.getMessage());
        } catch (MetricsStoreException e) {
            if (!e.retryable()) {
                throw e;
            }
            metrics.requestRejected("metrics", transport, "overloaded");
            return ExportReply.retryable(503, "metrics store unavailable: " + e.getMessage(), RETRY_AFTER);
        }
    }
}
