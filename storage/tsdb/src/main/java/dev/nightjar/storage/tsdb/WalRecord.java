package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import java.util.List;

/** What the write-ahead log holds. */
sealed interface WalRecord {

    /** New series and the ids their samples use. */
    record NewSeries(List<SeriesRef> series) implements WalRecord {}

    record SeriesRef(int id, Labels labels) {}

    /** Samples in parallel arrays. */
    record Samples(int[] ids, long[] timestamps, double[] values, int size) implements WalRecord {}

    record Metadata(List<MetricMetadata> metadata) implements WalRecord {}

    /** Everything before this time lives in blocks; samples before it are refused. */
    record MinValidTime(long time) implements WalRecord {}
}
