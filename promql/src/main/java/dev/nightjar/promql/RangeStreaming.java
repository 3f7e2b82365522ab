package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.StaleMarker;
import dev.nightjar.promql.Values.Window;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates a range function over a matrix selector at every step, one series at a time, as
 * Prometheus does: each series' samples stream from the store through a sliding window, so only one
 * window of one series is ever decoded into memory, and the results go straight into a
 * {@link StepMatrix}.
 */
final class RangeStreaming {

    private RangeStreaming() {}

    static StepMatrix evaluate(Evaluator ev, Expr.Call call, Expr.MatrixSelector m, int rangeArg) {
        Function f = call.function();
        int steps = ev.gridSteps();
        List<Expr> args = call.args();
        // Scalar arguments (quantile, predict_linear's duration, holt_winters' factors) per step.
        double[][] scalars = new double[steps][args.size()];
        if (args.size() > 1) {
            for (int k = 0; k < steps; k++) {
                int j = 0;
                for (int i = 0; i < args.size(); i++) {
                    if (i != rangeArg) {
                        scalars[k][j++] = ev.scalar(args.get(i), ev.gridTime(k));
                    }
                }
            }
        }
        Expr.VectorSelector v = m.selector();
        List<Series> selected = ev.selectors.select(v);
        Labels[] labels = new Labels[selected.size()];
        StepMatrix.Builder out = new StepMatrix.Builder(labels, steps);
        Sliding window = new Sliding();
        Set<Labels> seen = new HashSet<>();
        for (int s = 0; s < selected.size(); s++) {
            ev.checkDeadline();
            Series series = selected.get(s);
            labels[s] = f == Function.LAST_OVER_TIME
                    ? series.labels()
                    : series.labels().withoutMetricName();
            SampleIterator it = series.samples();
            window.reset();
            int points = 0;
            for (int k = 0; k < steps; k++) {
                long t = ev.gridTime(k);
                long end = ev.resolve(v.at(), t) - v.offsetMs();
                long start = end - m.rangeMs();
                window.advance(it, start, end);
                Window w = new Window(labels[s], window.ts, window.vs, window.from, window.to);
                if (window.to > window.from && RangeFunctions.hasResult(f, w, scalars[k])) {
                    out.add(s, k, RangeFunctions.value(f, w, start, end, m.rangeMs(), t, scalars[k]));
                    points++;
                }
            }
            window.drain(it);
            ev.selectors.countStreamed(window.loaded, points);
            // Prometheus refuses the result when two series that produced samples share their labels.
            if (points > 0 && !seen.add(labels[s])) {
                throw PromqlException.execution("vector cannot contain metrics with the same labelset");
            }
        }
        return out.build();
    }

    /** The samples of one series inside the current step's window {@code [start, end]}, stale markers dropped. */
    private static final class Sliding {
        long[] ts = new long[64];
        double[] vs = new double[64];
        int from;
        int to;
        long loaded;
        private boolean pending;
        private boolean done;
        private long pendingT;
        private double pendingV;

        void reset() {
            from = 0;
            to = 0;
            loaded = 0;
            pending = false;
            done = false;
        }

        /** Moves the window to {@code [start, end]}; both only ever move forward. */
        void advance(SampleIterator it, long start, long end) {
            while (from < to && ts[from] < start) {
                from++;
            }
            while (true) {
                if (!pending && !pull(it)) {
                    return;
                }
                if (pendingT > end) {
                    return;
                }
                pending = false;
                if (pendingT >= start) {
                    append(pendingT, pendingV);
                }
            }
        }

        /** Reads what the last window did not reach, so the sample count covers all that was loaded. */
        void drain(SampleIterator it) {
            pending = false;
            while (pull(it)) {
                pending = false;
            }
        }

        private boolean pull(SampleIterator it) {
            while (!done) {
                if (!it.next()) {
                    done = true;
                    return false;
                }
                double value = it.value();
                if (StaleMarker.isStale(value)) {
                    continue;
                }
                loaded++;
                pendingT = it.timestamp();
                pendingV = value;
                pending = true;
                return true;
            }
            return false;
        }

        private void append(long t, double v) {
            if (from == to) {
                from = 0;
                to = 0;
            }
            if (to == ts.length) {
                if (from > 0) {
                    System.arraycopy(ts, from, ts, 0, to - from);
                    System.arraycopy(vs, from, vs, 0, to - from);
                    to -= from;
                    from = 0;
                } else {
                    ts = java.util.Arrays.copyOf(ts, ts.length * 2);
                    vs = java.util.Arrays.copyOf(vs, vs.length * 2);
                }
            }
            ts[to] = t;
            vs[to++] = v;
        }
    }
}
