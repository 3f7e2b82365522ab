package dev.nightjar.core.metrics;

import dev.nightjar.core.TenantId;

/** Writes samples. A returned result means the accepted samples are durable. */
public interface MetricsWriter {

    /**
     * Appends a batch for one tenant.
     *
     * @throws SeriesLimitExceededException if the batch would create more series than the tenant may
     *     have; nothing of the batch is stored then
     * @throws MetricsStoreException if the store cannot make the batch durable (retryable)
     */
    AppendResult append(TenantId tenant, MetricsBatch batch);

    /**
     * Appends a write given as primitive columns, with exactly the meaning and outcomes of
     * {@link #append(TenantId, MetricsBatch)} for {@link MetricsColumns#toBatch()}. Stores override it to
     * take samples without an object each; this default converts. The store copies what it keeps: the
     * column arrays are the caller's again once this returns (the remote_write receiver reuses them for
     * its thread's next request).
     */
    default AppendResult appendColumns(TenantId tenant, MetricsColumns columns) {
        return append(tenant, columns.toBatch());
    }
}
