package dev.nightjar.core.metrics;

import java.time.Duration;

/**
 * Bounds every metrics store enforces.
 *
 * @param maxSeriesPerTenant active series a tenant may have
 * @param outOfOrderWindow how far behind a tenant's newest sample a sample may still arrive
 */
// The default window is Prometheus' own for its default 2 h blocks: its head appends samples down to half a
// block range behind its newest one. Remote_write shards, and senders writing many series in per-series
// batches, run that far apart; a shorter window refused samples Prometheus keeps.
public record MetricsLimits(long maxSeriesPerTenant, Duration outOfOrderWindow) {

    public static final MetricsLimits DEFAULT = new MetricsLimits(1_000_000, Duration.ofHours(1));

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

    public MetricsLimits withOutOfOrderWindow(Duration window) {
        return new MetricsLimits(maxSeriesPerTenant, window);
    }
}
