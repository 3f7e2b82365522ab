package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the telemetry storage conformance suite (in the manner of zipkin's {@code zipkin-tests}).
 * Each backend extends every concrete-test class of this package once and supplies a fresh store over an
 * empty directory. A backend that cannot pass a test overrides it with {@code @Test @Disabled("why")},
 * never by leaving the class out.
 */
public abstract class StorageConformance {

    protected static final TenantId TENANT_A = TenantId.parse("00000000-0000-4000-8000-00000000000a");
    protected static final TenantId TENANT_B = TenantId.parse("00000000-0000-4000-8000-00000000000b");
    /** The suite's "now": fixed, so no test depends on the wall clock. */
    protected static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    protected Path dataDir;

    protected StorageComponent storage;

    private final AtomicLong idSeq = new AtomicLong(1);

    /** A new, empty store keeping its files (if any) under {@code dataDir}. */
    protected abstract StorageComponent newStorage(Path dataDir) throws Exception;

    @BeforeEach
    void openStorage() throws Exception {
        storage = newStorage(dataDir);
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    // ---- writing ----

    protected void writeLogs(TenantId tenant, List<LogRecord> records) {
        storage.logWriter().write(tenant, records);
        storage.flush();
    }

    protected void writeSpans(TenantId tenant, List<Span> spans) {
        storage.spanWriter().write(tenant, spans);
        storage.flush();
    }

    // ---- building data ----

    protected static long nanos(Instant instant) {
        return Timestamps.toNanos(instant);
    }

    protected static TimeRange range(Instant start, Instant end) {
        return new TimeRange(start, end);
    }

    /** {@code [T0 - before, T0 + after)}. */
    protected static TimeRange around(Duration before, Duration after) {
        return new TimeRange(T0.minus(before), T0.plus(after));
    }

    /** The last hour before T0 plus a minute after it: where most fixtures live. */
    protected static TimeRange lastHour() {
        return around(Duration.ofHours(1), Duration.ofMinutes(1));
    }

    protected static Resource service(String name, Object... moreKeysAndValues) {
        Attributes.Builder b = Attributes.builder().put(Resource.SERVICE_NAME, name);
        Attributes more = Attributes.of(moreKeysAndValues);
        b.putAll(more);
        return new Resource(b.build());
    }

    protected static LogRecord.Builder log(Instant time, String body) {
        return LogRecord.builder()
                .timeUnixNano(nanos(time))
                .observedTimeUnixNano(nanos(time) + 1_000)
                .severity(SeverityLevel.INFO)
                .body(body)
                .resource(service("checkout", "host.name", "node-1"))
                .scope(InstrumentationScope.of("app.logger", "1.0"));
    }

    protected TraceId newTraceId() {
        return new TraceId(0x5eed_0000_0000_0000L | idSeq.get(), idSeq.incrementAndGet());
    }

    protected SpanId newSpanId() {
        return new SpanId(0x7000_0000_0000_0000L | idSeq.incrementAndGet());
    }

    protected Span.Builder span(TraceId trace, SpanId parent, String service, String name, Instant start, Duration d) {
        return Span.builder()
                .traceId(trace)
                .spanId(newSpanId())
                .parentSpanId(parent)
                .name(name)
                .kind(parent == null ? SpanKind.SERVER : SpanKind.INTERNAL)
                .startTimeUnixNano(nanos(start))
                .endTimeUnixNano(nanos(start.plus(d)))
                .status(SpanStatus.UNSET)
                .resource(service(service))
                .scope(InstrumentationScope.of("tracer", "2.0"));
    }

    // ---- reading ----

    protected LogPage firstPage(TenantId tenant, LogFilter filter, int limit) {
        return storage.logReader().search(tenant, LogQuery.of(filter, limit));
    }

    protected List<LogRecord> search(TenantId tenant, LogFilter filter) {
        return firstPage(tenant, filter, 1000).records();
    }

    protected List<LogRecord> search(TenantId tenant, LogFilter.Builder filter) {
        return search(tenant, filter.build());
    }

    /** Every page in turn, checking page sizes and newest-first order on the way. */
    protected List<LogRecord> searchAllPages(TenantId tenant, LogFilter filter, int pageSize) {
        List<LogRecord> all = new ArrayList<>();
        LogCursor cursor = null;
        Set<String> tokens = new HashSet<>();
        for (int guard = 0; guard < 100_000; guard++) {
            LogPage page = storage.logReader().search(tenant, new LogQuery(filter, pageSize, cursor));
            all.addAll(page.records());
            if (page.next() == null) {
                assertThat(page.records().size()).isLessThanOrEqualTo(pageSize);
                assertNewestFirst(all);
                return all;
            }
            assertThat(page.records()).as("a page with a next cursor is full").hasSize(pageSize);
            assertThat(tokens.add(page.next().encode())).as("cursor repeats").isTrue();
            cursor = LogCursor.decode(page.next().encode());
        }
        throw new AssertionError("paging did not end");
    }

    protected static void assertNewestFirst(List<LogRecord> records) {
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).effectiveTimeUnixNano())
                    .as("record %d is not older than record %d", i, i - 1)
                    .isLessThanOrEqualTo(records.get(i - 1).effectiveTimeUnixNano());
        }
    }

    protected static List<String> bodies(List<LogRecord> records) {
        return records.stream().map(LogRecord::bodyText).toList();
    }
}
