package dev.nightjar.core.metrics;

import java.util.Arrays;

/** A series whose samples sit in two parallel arrays; used by stores and by query engines alike. */
public record ArraySeries(Labels labels, long[] timestamps, double[] values, int size) implements Series {

    public ArraySeries {
        if (timestamps.length < size || values.length < size) {
            throw new IllegalArgumentException("arrays shorter than size");
        }
    }

    public static ArraySeries of(Labels labels, long[] timestamps, double[] values) {
        return new ArraySeries(labels, timestamps, values, timestamps.length);
    }

    @Override
    public SampleIterator samples() {
        return new SampleIterator() {
            private int index = -1;

            @Override
            public boolean next() {
                return ++index < size;
            }

            @Override
            public long timestamp() {
                return timestamps[index];
            }

            @Override
            public double value() {
                return values[index];
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArraySeries s
                && s.labels.equals(labels)
                && s.size == size
                && Arrays.equals(s.timestamps, 0, size, timestamps, 0, size)
                && Arrays.equals(s.values, 0, size, values, 0, size);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return labels + " (" + size + " samples)";
    }
}
