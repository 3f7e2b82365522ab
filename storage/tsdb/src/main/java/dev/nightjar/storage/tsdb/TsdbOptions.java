package dev.nightjar.storage.tsdb;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@link Tsdb} behaves.
 *
 * @param limits series limit and out-of-order window, per tenant
 * @param blockRange span of a head block (2 h like Prometheus); chunks never cross its boundaries
 * @param retention how long each tenant's blocks are kept
 * @param clock wall clock for retention
 * @param walSegmentBytes size at which the WAL starts a new segment
 */
public record TsdbOptions(
        MetricsLimits limits,
        Duration blockRange,
        Function<TenantId, Duration> retention,
        Clock clock,
        long walSegmentBytes) {

    public static final TsdbOptions DEFAULT = new TsdbOptions(
            MetricsLimits.DEFAULT, Duration.ofHours(2), tenant -> Duration.ofDays(15), Clock.systemUTC(), 128L << 20);

    public TsdbOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(clock, "clock");
        if (blockRange.toMillis() < 60_000) {
            throw new IllegalArgumentException("block range must be at least a minute");
        }
        if (walSegmentBytes < 4096) {
            throw new IllegalArgumentException("WAL segments must be at least 4 KiB");
        }
    }

    public TsdbOptions withLimits(MetricsLimits value) {
        return new TsdbOptions(value, blockRange, retention, clock, walSegmentBytes);
    }

    public TsdbOptions withRetention(Function<TenantId, Duration> value) {
        return new TsdbOptions(limits, blockRange, value, clock, walSegmentBytes);
    }

    public TsdbOptions withClock(Clock value) {
        return new TsdbOptions(limits, blockRange, retention, value, walSegmentBytes);
    }

    public TsdbOptions withBlockRange(Duration value) {
        return new TsdbOptions(limits, value, retention, clock, walSegmentBytes);
    }
}
