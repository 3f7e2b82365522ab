/**
 * The metrics SPI: labels, samples (with Prometheus' staleness marker), matchers, the writer and
 * reader every metrics store implements, and {@link dev.nightjar.core.metrics.InMemoryMetricsStore},
 * the reference implementation the conformance suite in {@code storage/testkit} checks.
 */
package dev.nightjar.core.metrics;
