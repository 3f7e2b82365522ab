package dev.nightjar.ingest.metrics;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/**
 * One OTLP metrics export, whatever carried it (main port, OTLP/HTTP port, OTLP/gRPC port): translate to
 * Prometheus series, append to the store (which returns only once the samples are in its fsynced WAL),
 * and answer with the exact number of refused points in {@code partial_success}.
 *
 * <p>Throws {@link SeriesLimitExceededException} when the batch would exceed the tenant's series limit
 * (nothing of it is stored) and {@link MetricsStoreException} when the store cannot make it durable.
 */
public final class OtlpMetricsIngest {
    private final MetricsWriter writer;

    public OtlpMetricsIngest(MetricsWriter writer) {
        this.writer = writer;
    }

    public ExportMetricsServiceResponse export(TenantId tenant, ExportMetricsServiceRequest request) {
        OtlpMetricsTranslator.Translation t = OtlpMetricsTranslator.translate(request);
        AppendResult result =
                t.batch().series().isEmpty() ? new AppendResult(0, 0, 0) : writer.append(tenant, t.batch());
        ExportMetricsServiceResponse.Builder reply = ExportMetricsServiceResponse.newBuilder();
        // Points translate to one sample each, except histograms and summaries (one per bucket/quantile,
        // sum and count); store refusals are counted per point the refused samples belong to.
        long storeRefused = t.pointsOfRefusedSamples(result);
        long rejected = t.rejectedPoints() + storeRefused;
        if (rejected > 0) {
            String message = String.join("; ", t.errors());
            if (result.rejected() > 0) {
                message = (message.isEmpty() ? "" : message + "; ") + result.tooOld()
                        + " samples out of order or too old, " + result.duplicates()
                        + " duplicate timestamps with another value";
            }
            reply.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(rejected)
                    .setErrorMessage(message));
        }
        return reply.build();
    }
}
