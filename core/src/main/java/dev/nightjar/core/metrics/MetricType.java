package dev.nightjar.core.metrics;

/** The OpenMetrics metric family types. */
public enum MetricType {
    COUNTER,
    GAUGE,
    HISTOGRAM,
    GAUGE_HISTOGRAM,
    SUMMARY,
    INFO,
    STATESET,
    UNKNOWN
}
