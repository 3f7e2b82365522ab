package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.StaleMarker;
import java.util.List;

/**
 * An instant-vector selector evaluated at every step at once, one series at a time, for an
 * aggregation above it ({@code sum by (job) (up)}): each step takes the series' newest sample at or
 * before the step, if it is within the lookback delta and not a stale marker, exactly as
 * {@link Evaluator} does step by step, but streaming the samples instead of loading them whole.
 */
final class SelectorStreaming {

    private SelectorStreaming() {}

    static StepMatrix evaluate(Evaluator ev, Expr.VectorSelector v, long lookbackMs) {
        int steps = ev.gridSteps();
        List<Series> selected = ev.selectors.select(v);
        Labels[] labels = new Labels[selected.size()];
        StepMatrix.Builder out = new StepMatrix.Builder(labels, steps);
        for (int s = 0; s < selected.size(); s++) {
            ev.checkDeadline();
            labels[s] = selected.get(s).labels();
            SampleIterator it = selected.get(s).samples();
            long loaded = 0;
            int points = 0;
            boolean has = false;
            long lastT = 0;
            double lastV = 0;
            boolean pending = it.next();
            if (pending) {
                loaded++;
            }
            for (int k = 0; k < steps; k++) {
                long ref = ev.resolve(v.at(), ev.gridTime(k)) - v.offsetMs();
                while (pending && it.timestamp() <= ref) {
                    has = true;
                    lastT = it.timestamp();
                    lastV = it.value();
                    pending = it.next();
                    if (pending) {
                        loaded++;
                    }
                }
                if (has && lastT >= ref - lookbackMs && !StaleMarker.isStale(lastV)) {
                    out.add(s, k, lastV);
                    points++;
                }
            }
            while (pending) {
                pending = it.next();
                if (pending) {
                    loaded++;
                }
            }
            ev.selectors.countStreamed(loaded, points);
        }
        return out.build();
    }
}
