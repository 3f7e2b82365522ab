package dev.nightjar.promql;

/**
 * What one query cost, in the terms of Prometheus' {@code stats} query parameter.
 *
 * @param preparationNanos parsing, planning and loading the selectors that are read whole
 * @param evalNanos evaluation, including the reads of streamed selectors
 * @param totalNanos the whole query
 * @param totalQueryableSamples samples read from the store
 * @param peakSamples decoded samples and points the query held at its end, which is when it holds
 *     the most: selectors read whole plus the step results of streamed nodes (a streamed series'
 *     sliding window is not counted)
 */
public record QueryStats(
        long preparationNanos, long evalNanos, long totalNanos, long totalQueryableSamples, long peakSamples) {}
