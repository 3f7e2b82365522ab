package dev.nightjar.core.metrics;

import java.time.Duration;

/**
 * Bounds every metrics store enforces.
 *
 * @param maxSeriesPerTenant active series a tenant may have
 * @param outOfOrderWindow how far behind a tenant's newest sample a sample may still arrive
 */
public record MetricsLimits(long maxSeriesPerTenant, Duration outOfOrderWindow) {

    public static final MetricsLimits DEFAULT = new MetricsLimits(1_000_000, Duration.ofMinutes(10));

    public MetricsLimits {
        if (maxSeriesPerTenant < 1) {
            throw new IllegalArgumentException("maxSeriesPerTenant must be positive");
        }
        if (outOfOrderWindow.isNegative()) {
            throw new IllegalArgumentException("outOfOrderWindow must not be negative");
        }
    }

    public MetricsLimits withMaxSeriesPerTenant(long max) {
        return new MetricsLimits(max, outOfOrderWindow);
    }
}
