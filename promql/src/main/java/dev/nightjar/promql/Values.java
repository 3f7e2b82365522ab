package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import java.util.List;

/** Values the evaluator passes between nodes at one evaluation time. */
final class Values {

    private Values() {}

    sealed interface Value {}

    record Scalar(double value) implements Value {}

    record Str(String value) implements Value {}

    /** One element of an instant vector; {@code t} is the sample's own time for raw selector output. */
    record Sample(Labels labels, long t, double value) {}

    record Vector(List<Sample> samples) implements Value {}

    /** A range-vector element: samples {@code [from, to)} of the arrays. */
    record Window(Labels labels, long[] ts, double[] vs, int from, int to) {
        int size() {
            return to - from;
        }

        long t(int i) {
            return ts[from + i];
        }

        double v(int i) {
            return vs[from + i];
        }
    }

    /**
     * A range vector at one evaluation time, with the window it was cut with (needed by rate's
     * extrapolation): samples lie in {@code [rangeStart, rangeEnd]}.
     */
    record Matrix(List<Window> windows, long rangeStart, long rangeEnd, long rangeMs) implements Value {}
}
