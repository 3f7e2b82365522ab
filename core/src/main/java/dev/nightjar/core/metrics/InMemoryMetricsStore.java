package dev.nightjar.core.metrics;

import dev.nightjar.core.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference metrics store: everything in maps, nothing durable. It defines the semantics the
 * conformance suite checks and every real store must match.
 */
public final class InMemoryMetricsStore implements MetricsStore {

    private final MetricsLimits limits;
    private final Map<TenantId, TenantData> tenants = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public InMemoryMetricsStore(MetricsLimits limits) {
        this.limits = limits;
    }

    public InMemoryMetricsStore() {
        this(MetricsLimits.DEFAULT);
    }

    private static final class TenantData {
        final Map<Labels, NavigableMap<Long, Double>> series = new HashMap<>();
        final Map<String, MetricMetadata> metadata = new TreeMap<>();
        long maxTime = Long.MIN_VALUE;
    }

    @Override
    public AppendResult append(TenantId tenant, MetricsBatch batch) {
        ensureOpen();
        for (SeriesSamples s : batch.series()) {
            SeriesValidation.check(s.labels());
        }
        TenantData data = tenants.computeIfAbsent(tenant, t -> new TenantData());
        synchronized (data) {
            Set<Labels> fresh = new TreeSet<>();
            for (SeriesSamples s : batch.series()) {
                if (!s.samples().isEmpty() && !data.series.containsKey(s.labels())) {
                    fresh.add(s.labels());
                }
            }
            if (data.series.size() + fresh.size() > limits.maxSeriesPerTenant()) {
                throw new SeriesLimitExceededException(
                        tenant, limits.maxSeriesPerTenant(), data.series.size(), fresh.size());
            }
            long minValid = OutOfOrderWindow.minValidTime(data.maxTime, limits.outOfOrderWindow());
            long accepted = 0;
            long tooOld = 0;
            long duplicates = 0;
            for (SeriesSamples s : batch.series()) {
                for (Sample sample : OutOfOrderWindow.sorted(s.samples())) {
                    if (sample.timestampMs() < minValid) {
                        tooOld++;
                        continue;
                    }
                    NavigableMap<Long, Double> points = data.series.computeIfAbsent(s.labels(), l -> new TreeMap<>());
                    Double existing = points.get(sample.timestampMs());
                    if (existing == null) {
                        points.put(sample.timestampMs(), sample.value());
                        accepted++;
                    } else if (Double.doubleToRawLongBits(existing) == Double.doubleToRawLongBits(sample.value())) {
                        accepted++;
                    } else {
                        duplicates++;
                    }
                    data.maxTime = Math.max(data.maxTime, sample.timestampMs());
                }
            }
            data.series.values().removeIf(NavigableMap::isEmpty);
            for (MetricMetadata m : batch.metadata()) {
                data.metadata.put(m.family(), m);
            }
            return new AppendResult(accepted, tooOld, duplicates);
        }
    }

    @Override
    public List<Series> select(TenantId tenant, List<Matcher> matchers, long mint, long maxt) {
        ensureOpen();
        SeriesValidation.checkSelection(matchers);
        TenantData data = tenants.get(tenant);
        if (data == null) {
            return List.of();
        }
        List<Series> out = new ArrayList<>();
        synchronized (data) {
            for (Map.Entry<Labels, NavigableMap<Long, Double>> e : data.series.entrySet()) {
                if (!matchesAll(matchers, e.getKey())) {
                    continue;
                }
                NavigableMap<Long, Double> window = e.getValue().subMap(mint, true, maxt, true);
                if (window.isEmpty()) {
                    continue;
                }
                long[] ts = new long[window.size()];
                double[] vs = new double[window.size()];
                int i = 0;
                for (Map.Entry<Long, Double> p : window.entrySet()) {
                    ts[i] = p.getKey();
                    vs[i++] = p.getValue();
                }
                out.add(ArraySeries.of(e.getKey(), ts, vs));
            }
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
    }

    private static boolean matchesAll(List<Matcher> matchers, Labels labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<String> labelNames(TenantId tenant, List<Matcher> matchers, long mint, long maxt) {
        Set<String> names = new TreeSet<>();
        for (Labels labels : matching(tenant, matchers, mint, maxt)) {
            for (int i = 0; i < labels.size(); i++) {
                names.add(labels.name(i));
            }
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> labelValues(TenantId tenant, String name, List<Matcher> matchers, long mint, long maxt) {
        Set<String> values = new TreeSet<>();
        for (Labels labels : matching(tenant, matchers, mint, maxt)) {
            String v = labels.get(name);
            if (!v.isEmpty()) {
                values.add(v);
            }
        }
        return List.copyOf(values);
    }

    private List<Labels> matching(TenantId tenant, List<Matcher> matchers, long mint, long maxt) {
        ensureOpen();
        TenantData data = tenants.get(tenant);
        if (data == null) {
            return List.of();
        }
        List<Labels> out = new ArrayList<>();
        synchronized (data) {
            for (Map.Entry<Labels, NavigableMap<Long, Double>> e : data.series.entrySet()) {
                if (matchesAll(matchers, e.getKey())
                        && !e.getValue().subMap(mint, true, maxt, true).isEmpty()) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    @Override
    public List<MetricMetadata> metadata(TenantId tenant) {
        ensureOpen();
        TenantData data = tenants.get(tenant);
        if (data == null) {
            return List.of();
        }
        synchronized (data) {
            return List.copyOf(data.metadata.values());
        }
    }

    @Override
    public void check() {
        ensureOpen();
    }

    private void ensureOpen() {
        if (closed) {
            throw new MetricsStoreException("metrics store is closed", false);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
