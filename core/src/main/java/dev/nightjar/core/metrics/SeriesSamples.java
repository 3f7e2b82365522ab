package dev.nightjar.core.metrics;

import java.util.List;
import java.util.Objects;

/** Samples for one series in a write batch, in any order. */
public record SeriesSamples(Labels labels, List<Sample> samples) {

    public SeriesSamples {
        Objects.requireNonNull(labels, "labels");
        samples = List.copyOf(samples);
    }
}
