package dev.nightjar.core.telemetry.memory;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.Limits;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.DurationDigest;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.core.traces.SpanWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

final class MemorySpans implements SpanWriter, SpanReader {

    /** Trace order: start ascending, then span id (as unsigned hex order). */
    static final Comparator<Span> TRACE_ORDER = Comparator.comparingLong(Span::startTimeUnixNano)
            .thenComparing((a, b) ->
                    Long.compareUnsigned(a.spanId().value(), b.spanId().value()));

    /** Search order: start descending, then span id descending (signed). */
    static final Comparator<Span> NEWEST_FIRST = Comparator.comparingLong(Span::startTimeUnixNano)
            .thenComparingLong(s -> s.spanId().value())
            .reversed();

    private final InMemoryStorage storage;

    MemorySpans(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void write(TenantId tenant, List<Span> spans) {
        Objects.requireNonNull(spans, "spans").forEach(s -> Objects.requireNonNull(s, "span"));
        TenantData data = storage.tenant(tenant);
        storage.capacity().reserve(spans.size());
        synchronized (data) {
            data.spans.addAll(spans);
        }
    }

    private List<Span> select(TenantId tenant, Predicate<Span> p) {
        TenantData data = storage.tenant(tenant);
        synchronized (data) {
            return data.spans.stream().filter(p).toList();
        }
    }

    @Override
    public List<Span> getTrace(TenantId tenant, TraceId traceId) {
        Objects.requireNonNull(traceId, "trace id");
        List<Span> spans = new ArrayList<>(
                new LinkedHashSet<>(select(tenant, s -> s.traceId().equals(traceId))));
        spans.sort(TRACE_ORDER);
        return spans.size() > Limits.MAX_TRACE_SPANS ? List.copyOf(spans.subList(0, Limits.MAX_TRACE_SPANS)) : spans;
    }

    @Override
    public List<Span> searchSpans(TenantId tenant, SpanQuery q) {
        Objects.requireNonNull(q, "query");
        return select(
                        tenant,
                        s -> Matching.inRange(q.range(), s.startTimeUnixNano())
                                && (q.service() == null || q.service().equals(s.serviceName()))
                                && (q.spanName() == null || q.spanName().equals(s.name()))
                                && (q.kind() == null || q.kind() == s.kind())
                                && (q.status() == null
                                        || q.status() == s.status().code())
                                && s.durationNanos() >= q.minDurationNanos()
                                && s.durationNanos() <= q.maxDurationNanos()
                                && Matching.attributesMatch(q.filters(), q.ranges(), s.resource(), s.attributes()))
                .stream()
                .sorted(NEWEST_FIRST)
                .limit(q.limit())
                .toList();
    }

    @Override
    public List<String> services(TenantId tenant, TimeRange range) {
        Timestamps.checkQueryRange(range);
        TreeSet<String> out = new TreeSet<>();
        select(tenant, s -> Matching.inRange(range, s.startTimeUnixNano())).forEach(s -> out.add(s.serviceName()));
        return List.copyOf(out);
    }

    @Override
    public List<Operation> operations(TenantId tenant, String service, TimeRange range) {
        Objects.requireNonNull(service, "service");
        Timestamps.checkQueryRange(range);
        TreeSet<Operation> out = new TreeSet<>(Operation.ORDER);
        select(tenant, s -> Matching.inRange(range, s.startTimeUnixNano()) && service.equals(s.serviceName()))
                .forEach(s -> out.add(new Operation(s.name(), s.kind())));
        return List.copyOf(out);
    }

    @Override
    public List<RedStats> serviceRed(TenantId tenant, TimeRange range) {
        Timestamps.checkQueryRange(range);
        return red(tenant, range, s -> true, Span::serviceName, false);
    }

    @Override
    public List<RedStats> operationRed(TenantId tenant, String service, TimeRange range) {
        Objects.requireNonNull(service, "service");
        Timestamps.checkQueryRange(range);
        return red(tenant, range, s -> service.equals(s.serviceName()), Span::name, true);
    }

    private List<RedStats> red(
            TenantId tenant, TimeRange range, Predicate<Span> p, Function<Span, String> key, boolean perOperation) {
        Map<String, DurationDigest> digests = new TreeMap<>();
        Map<String, long[]> errors = new TreeMap<>();
        Map<String, String> services = new TreeMap<>();
        for (Span s : select(tenant, s -> s.isEntry() && Matching.inRange(range, s.startTimeUnixNano()) && p.test(s))) {
            String k = key.apply(s);
            digests.computeIfAbsent(k, x -> new DurationDigest()).add(s.durationNanos());
            errors.computeIfAbsent(k, x -> new long[1])[0] += s.isError() ? 1 : 0;
            services.putIfAbsent(k, s.serviceName());
        }
        long rangeNanos = range.duration().toNanos();
        List<RedStats> out = new ArrayList<>();
        digests.forEach((k, d) ->
                out.add(RedStats.of(services.get(k), perOperation ? k : null, errors.get(k)[0], d, rangeNanos)));
        return out;
    }
}
