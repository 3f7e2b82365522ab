package dev.nightjar.core.metrics;

/** A selected series: its labels and an iterator over its samples within the selected range. */
public interface Series {

    Labels labels();

    /** A fresh iterator each call, restricted to the range the series was selected with. */
    SampleIterator samples();
}
