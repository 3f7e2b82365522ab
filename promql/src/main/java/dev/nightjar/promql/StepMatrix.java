package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One node's output at every step of the query grid, held as primitive arrays: for each step, the
 * series that have a value there, in series order (the order a step-by-step evaluation would produce).
 * Range functions fill it one series at a time, the way Prometheus evaluates them; parents then read
 * one step at a time without re-evaluating the node.
 */
final class StepMatrix {

    final Labels[] labels;
    final int steps;
    /** Points of step {@code k} are {@code [offsets[k], offsets[k + 1])} of the two arrays below. */
    final int[] offsets;

    final int[] series;
    final double[] values;

    private StepMatrix(Labels[] labels, int steps, int[] offsets, int[] series, double[] values) {
        this.labels = labels;
        this.steps = steps;
        this.offsets = offsets;
        this.series = series;
        this.values = values;
    }

    int points() {
        return offsets[steps];
    }

    /** The instant vector at step {@code k}, stamped with evaluation time {@code t}. */
    List<Sample> vector(int k, long t) {
        int from = offsets[k];
        int to = offsets[k + 1];
        List<Sample> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(new Sample(labels[series[i]], t, values[i]));
        }
        return out;
    }

    /** Collects points in any order of steps; {@link #build()} orders them by step, stably. */
    static final class Builder {
        private final Labels[] labels;
        private final int steps;
        private int[] stepOf = new int[64];
        private int[] seriesOf = new int[64];
        private double[] valueOf = new double[64];
        private int size;

        Builder(Labels[] labels, int steps) {
            this.labels = labels;
            this.steps = steps;
        }

        void add(int seriesIndex, int step, double value) {
            if (size == stepOf.length) {
                int capacity = size * 2;
                stepOf = Arrays.copyOf(stepOf, capacity);
                seriesOf = Arrays.copyOf(seriesOf, capacity);
                valueOf = Arrays.copyOf(valueOf, capacity);
            }
            stepOf[size] = step;
            seriesOf[size] = seriesIndex;
            valueOf[size++] = value;
        }

        StepMatrix build() {
            int[] offsets = new int[steps + 1];
            for (int i = 0; i < size; i++) {
                offsets[stepOf[i] + 1]++;
            }
            for (int k = 0; k < steps; k++) {
                offsets[k + 1] += offsets[k];
            }
            int[] next = Arrays.copyOf(offsets, steps);
            int[] series = new int[size];
            double[] values = new double[size];
            for (int i = 0; i < size; i++) {
                int at = next[stepOf[i]]++;
                series[at] = seriesOf[i];
                values[at] = valueOf[i];
            }
            return new StepMatrix(labels, steps, offsets, series, values);
        }
    }
}
