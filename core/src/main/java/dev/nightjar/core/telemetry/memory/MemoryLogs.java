package dev.nightjar.core.telemetry.memory;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.FullText;
import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFields;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogram;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.LogWriter;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.memory.TenantData.StoredLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

final class MemoryLogs implements LogWriter, LogReader {

    private static final Comparator<StoredLog> NEWEST_FIRST = Comparator.comparingLong(StoredLog::time)
            .thenComparingLong(StoredLog::id)
            .reversed();

    private final InMemoryStorage storage;
    private final AtomicLong ids = new AtomicLong();

    MemoryLogs(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public void write(TenantId tenant, List<LogRecord> records) {
        Objects.requireNonNull(records, "records").forEach(r -> Objects.requireNonNull(r, "record"));
        TenantData data = storage.tenant(tenant);
        storage.capacity().reserve(records.size());
        List<StoredLog> stored = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            stored.add(new StoredLog(ids.incrementAndGet(), r, FullText.tokenize(r.bodyText())));
        }
        synchronized (data) {
            data.logs.addAll(stored);
        }
    }

    private List<StoredLog> matching(TenantId tenant, LogFilter filter) {
        TenantData data = storage.tenant(tenant);
        List<List<String>> phrases = filter.termTokens();
        List<StoredLog> out = new ArrayList<>();
        synchronized (data) {
            for (StoredLog l : data.logs) {
                if (matches(l, filter, phrases)) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    private static boolean matches(StoredLog l, LogFilter filter, List<List<String>> phrases) {
        LogRecord r = l.record();
        if (!Matching.inRange(filter.range(), l.time())) {
            return false;
        }
        if (!filter.severities().isEmpty() && !filter.severities().contains(r.severityLevel())) {
            return false;
        }
        for (List<String> phrase : phrases) {
            if (!FullText.containsPhrase(l.tokens(), phrase)) {
                return false;
            }
        }
        List<AttributeFilter> plain = new ArrayList<>();
        for (AttributeFilter f : filter.filters()) {
            if (f.field().scope() == FieldRef.Scope.INTRINSIC) {
                if (!LogFields.keywords(r, f.field()).contains(f.value())) {
                    return false;
                }
            } else {
                plain.add(f);
            }
        }
        return Matching.attributesMatch(plain, filter.ranges(), r.resource(), r.attributes());
    }

    @Override
    public LogPage search(TenantId tenant, LogQuery query) {
        Objects.requireNonNull(query, "query");
        List<StoredLog> all = matching(tenant, query.filter());
        all.sort(NEWEST_FIRST);
        LogCursor after = query.after();
        List<StoredLog> page = new ArrayList<>(query.limit() + 1);
        for (StoredLog l : all) {
            if (after != null && !after.isBefore(l.time(), l.id())) {
                continue;
            }
            page.add(l);
            if (page.size() > query.limit()) {
                break;
            }
        }
        LogCursor next = null;
        if (page.size() > query.limit()) {
            page.removeLast();
            StoredLog last = page.getLast();
            next = new LogCursor(last.time(), last.id());
        }
        return new LogPage(page.stream().map(StoredLog::record).toList(), next);
    }

    @Override
    public LogHistogram histogram(TenantId tenant, LogHistogramQuery query) {
        Objects.requireNonNull(query, "query");
        long[][] counts = new long[query.bucketCount()][SeverityLevel.values().length];
        for (StoredLog l : matching(tenant, query.filter())) {
            counts[query.bucketIndex(l.time())][l.record().severityLevel().ordinal()]++;
        }
        return LogHistogram.of(query, counts);
    }

    @Override
    public List<ValueCount> topValues(TenantId tenant, TopValuesQuery query) {
        Objects.requireNonNull(query, "query");
        Map<String, Long> counts = new HashMap<>();
        for (StoredLog l : matching(tenant, query.filter())) {
            for (String v : LogFields.keywords(l.record(), query.field())) {
                counts.merge(v, 1L, Long::sum);
            }
        }
        return counts.entrySet().stream()
                .map(e -> new ValueCount(e.getKey(), e.getValue()))
                .sorted(ValueCount.ORDER)
                .limit(query.limit())
                .toList();
    }
}
