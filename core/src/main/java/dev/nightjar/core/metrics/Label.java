package dev.nightjar.core.metrics;

import java.util.Objects;

/** One name/value pair of a series' identity. */
public record Label(String name, String value) implements Comparable<Label> {

    public Label {
        Objects.requireNonNull(name, "label name");
        Objects.requireNonNull(value, "label value");
    }

    @Override
    public int compareTo(Label other) {
        int byName = name.compareTo(other.name);
        return byName != 0 ? byName : value.compareTo(other.value);
    }
}
