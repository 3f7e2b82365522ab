package dev.nightjar.ingest.metrics;

import dev.nightjar.core.metrics.SeriesValidation;

/**
 * Bounds on one remote_write request, checked while decoding so a hostile body is refused before it
 * costs memory.
 *
 * @param maxCompressedBytes largest snappy body read from the socket
 * @param maxDecompressedBytes largest decompressed protobuf (the snappy header is checked before
 *     anything is allocated, so a decompression bomb costs nothing)
 * @param maxSeriesPerRequest time series in one request
 * @param maxSamplesPerRequest samples over all series of one request
 * @param maxLabelsPerSeries labels of one series, the metric name included
 * @param maxLabelNameLength characters of a label name
 * @param maxLabelValueLength characters of a label value
 */
public record RemoteWriteLimits(
        int maxCompressedBytes,
        int maxDecompressedBytes,
        int maxSeriesPerRequest,
        int maxSamplesPerRequest,
        int maxLabelsPerSeries,
        int maxLabelNameLength,
        int maxLabelValueLength) {

    public static final RemoteWriteLimits DEFAULT = new RemoteWriteLimits(
            10 << 20,
            64 << 20,
            100_000,
            1_000_000,
            SeriesValidation.MAX_LABELS,
            SeriesValidation.MAX_LABEL_NAME_LENGTH,
            SeriesValidation.MAX_LABEL_VALUE_LENGTH);

    public RemoteWriteLimits {
        if (maxCompressedBytes < 1
                || maxDecompressedBytes < 1
                || maxSeriesPerRequest < 1
                || maxSamplesPerRequest < 1
                || maxLabelsPerSeries < 1
                || maxLabelNameLength < 1
                || maxLabelValueLength < 1) {
            throw new IllegalArgumentException("remote_write limits must be positive");
        }
    }
}
