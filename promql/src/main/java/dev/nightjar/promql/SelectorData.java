package dev.nightjar.promql;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.StaleMarker;
import dev.nightjar.promql.Values.Matrix;
import dev.nightjar.promql.Values.Sample;
import dev.nightjar.promql.Values.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The samples a query reads, and the count of them the sample limit checks. Before the first step the
 * query's selectors get the union of the time ranges every evaluation of them needs ({@link #plan});
 * selectors not streamed are then loaded once ({@link #load}) and every step reads from memory.
 */
final class SelectorData {

    /** Samples of one selected series, stale markers removed when it feeds a range vector. */
    private record Loaded(Labels labels, long[] ts, double[] vs, int n) {}

    private final Evaluator ev;
    private final MetricsReader reader;
    private final TenantId tenant;
    private final EngineOptions options;
    private final Map<Expr.VectorSelector, long[]> ranges = new IdentityHashMap<>();
    private final Set<Expr.VectorSelector> rangeSelectors =
            java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Expr.VectorSelector, List<Loaded>> data = new IdentityHashMap<>();
    private long samplesLoaded;
    /** Points streamed nodes keep for every step until the query ends. */
    private long pointsHeld;

    private long loadedWhole;

    SelectorData(Evaluator ev, MetricsReader reader, TenantId tenant, EngineOptions options) {
        this.ev = ev;
        this.reader = reader;
        this.tenant = tenant;
        this.options = options;
    }

    /** Records the time range each selector under {@code e} needs when {@code e} runs in [minT, maxT]. */
    void plan(Expr e, long minT, long maxT) {
        switch (e) {
            case Expr.VectorSelector v -> {
                long lo = ev.resolve(v.at(), minT) - v.offsetMs();
                long hi = ev.resolve(v.at(), maxT) - v.offsetMs();
                extend(v, lo - options.lookbackDelta().toMillis(), hi);
            }
            case Expr.MatrixSelector m -> {
                Expr.VectorSelector v = m.selector();
                long lo = ev.resolve(v.at(), minT) - v.offsetMs();
                long hi = ev.resolve(v.at(), maxT) - v.offsetMs();
                extend(v, lo - m.rangeMs(), hi);
                rangeSelectors.add(v);
            }
            case Expr.Subquery s -> {
                long lo = ev.resolve(s.at(), minT) - s.offsetMs();
                long hi = ev.resolve(s.at(), maxT) - s.offsetMs();
                plan(s.expr(), lo - s.rangeMs(), hi);
            }
            case Expr.Call c -> c.args().forEach(a -> plan(a, minT, maxT));
            case Expr.Aggregate a -> {
                plan(a.expr(), minT, maxT);
                if (a.param() != null) {
                    plan(a.param(), minT, maxT);
                }
            }
            case Expr.Binary b -> {
                plan(b.lhs(), minT, maxT);
                plan(b.rhs(), minT, maxT);
            }
            case Expr.Unary u -> plan(u.expr(), minT, maxT);
            case Expr.Paren p -> plan(p.expr(), minT, maxT);
            case Expr.NumberLiteral n -> {}
            case Expr.StringLiteral s -> {}
        }
    }

    private void extend(Expr.VectorSelector v, long lo, long hi) {
        long[] r = ranges.get(v);
        if (r == null) {
            ranges.put(v, new long[] {lo, hi});
        } else {
            r[0] = Math.min(r[0], lo);
            r[1] = Math.max(r[1], hi);
        }
    }

    void load() {
        for (Map.Entry<Expr.VectorSelector, long[]> e : ranges.entrySet()) {
            if (ev.streamed.consumes(e.getKey())) {
                continue;
            }
            boolean dropStale = rangeSelectors.contains(e.getKey());
            List<Loaded> loaded = new ArrayList<>();
            for (Series series : reader.select(tenant, e.getKey().matchers(), e.getValue()[0], e.getValue()[1])) {
                long[] ts = new long[64];
                double[] vs = new double[64];
                int n = 0;
                SampleIterator it = series.samples();
                while (it.next()) {
                    double v = it.value();
                    if (dropStale && StaleMarker.isStale(v)) {
                        continue;
                    }
                    if (n == ts.length) {
                        ts = Arrays.copyOf(ts, n * 2);
                        vs = Arrays.copyOf(vs, n * 2);
                    }
                    ts[n] = it.timestamp();
                    vs[n++] = v;
                    if (++samplesLoaded + pointsHeld > options.maxSamples()) {
                        throw PromqlException.execution(
                                "query processing would load too many samples into memory in query execution");
                    }
                }
                loaded.add(new Loaded(series.labels(), ts, vs, n));
            }
            ev.checkDeadline();
            data.put(e.getKey(), loaded);
            loadedWhole = samplesLoaded;
        }
    }

    long samplesLoaded() {
        return samplesLoaded;
    }

    /**
     * Counts what a streamed node read from the store and the points it keeps for every step. Both
     * count against the sample limit, as Prometheus counts a range function's output points: the
     * points of a short range evaluated at many steps can outnumber the samples read.
     */
    void countStreamed(long samplesRead, long points) {
        samplesLoaded += samplesRead;
        pointsHeld += points;
        if (samplesLoaded + pointsHeld > options.maxSamples()) {
            throw PromqlException.execution(
                    "query processing would load too many samples into memory in query execution");
        }
    }

    QueryStats stats(long beginNanos, long preparedNanos) {
        long now = System.nanoTime();
        return new QueryStats(
                preparedNanos - beginNanos,
                now - preparedNanos,
                now - beginNanos,
                samplesLoaded,
                loadedWhole + pointsHeld);
    }

    /** Selects a streamed selector's series over the range {@link #plan} worked out for it. */
    List<Series> select(Expr.VectorSelector v) {
        long[] range = ranges.get(v);
        List<Series> out = reader.select(tenant, v.matchers(), range[0], range[1]);
        ev.checkDeadline();
        return out;
    }

    List<Sample> instantSelect(Expr.VectorSelector v, long t) {
        long ref = ev.resolve(v.at(), t) - v.offsetMs();
        long oldest = ref - options.lookbackDelta().toMillis();
        List<Sample> out = new ArrayList<>();
        for (Loaded s : data.get(v)) {
            int i = upperBound(s.ts, s.n, ref) - 1;
            if (i >= 0 && s.ts[i] >= oldest && !StaleMarker.isStale(s.vs[i])) {
                out.add(new Sample(s.labels, s.ts[i], s.vs[i]));
            }
        }
        return out;
    }

    Matrix rangeSelect(Expr.MatrixSelector m, long t) {
        Expr.VectorSelector v = m.selector();
        long end = ev.resolve(v.at(), t) - v.offsetMs();
        long start = end - m.rangeMs();
        List<Window> windows = new ArrayList<>();
        for (Loaded s : data.get(v)) {
            int from = upperBound(s.ts, s.n, start - 1);
            int to = upperBound(s.ts, s.n, end);
            if (to > from) {
                windows.add(new Window(s.labels, s.ts, s.vs, from, to));
            }
        }
        return new Matrix(windows, start, end, m.rangeMs());
    }

    /** The first index whose timestamp is greater than {@code t}. */
    private static int upperBound(long[] ts, int n, long t) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
