package dev.nightjar.core.metrics;

/** One float sample: milliseconds since the epoch and a value. */
public record Sample(long timestampMs, double value) {

    /** True for Prometheus' staleness marker (see {@link StaleMarker}). */
    public boolean isStaleMarker() {
        return StaleMarker.isStale(value);
    }
}
