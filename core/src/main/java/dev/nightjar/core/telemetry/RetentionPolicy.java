package dev.nightjar.core.telemetry;

import dev.nightjar.core.TenantId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** How long each tenant's logs and spans are kept: a default (7 days) and per-tenant overrides. */
public record RetentionPolicy(Duration defaultRetention, Map<TenantId, Duration> overrides) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(DEFAULT_RETENTION, Map.of());

    public RetentionPolicy {
        checkRetention(defaultRetention);
        overrides = Map.copyOf(overrides);
        overrides.values().forEach(RetentionPolicy::checkRetention);
    }

    public Duration retentionFor(TenantId tenant) {
        return overrides.getOrDefault(Objects.requireNonNull(tenant, "tenant"), defaultRetention);
    }

    public static Duration checkRetention(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("retention " + retention + " is shorter than one hour");
        }
        if (retention.compareTo(Duration.ofDays(3660)) > 0) {
            throw new IllegalArgumentException("retention " + retention + " is longer than ten years");
        }
        return retention;
    }
}
