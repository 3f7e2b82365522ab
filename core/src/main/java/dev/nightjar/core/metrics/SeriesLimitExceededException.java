package dev.nightjar.core.metrics;

import dev.nightjar.core.TenantId;

/** A batch would give a tenant more active series than its limit; the whole batch was refused. */
public final class SeriesLimitExceededException extends MetricsStoreException {

    private final TenantId tenant;
    private final long limit;
    private final long newSeries;

    public SeriesLimitExceededException(TenantId tenant, long limit, long activeSeries, long newSeries) {
        super(
                "tenant " + tenant + " has " + activeSeries + " active series and its limit is " + limit
                        + "; the batch would add " + newSeries + " new series and was refused",
                false);
        this.tenant = tenant;
        this.limit = limit;
        this.newSeries = newSeries;
    }

    public TenantId tenant() {
        return tenant;
    }

    public long limit() {
        return limit;
    }

    public long newSeries() {
        return newSeries;
    }
}
