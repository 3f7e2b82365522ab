package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.QueryDeadline;
import dev.nightjar.core.telemetry.QueryTimeoutException;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanStatus;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query deadline bounds the work inside the store: expensive ("hostile") queries over a real index
 * stop with {@link QueryTimeoutException} once their time is up, from inside Lucene's enumeration and
 * our scans, and answer normally within their time.
 */
class QueryDeadlineTest {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000d1");
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private static final int SPANS = 20_000;
    private static final int LOGS = 20_000;
    private static final TimeRange WIDE = new TimeRange(T0.minus(Duration.ofDays(31)), T0.plus(Duration.ofDays(1)));

    @TempDir
    static Path dir;

    private static LuceneStorage storage;
    private static TraceId someTrace;

    @BeforeAll
    static void fill() {
        storage = new LuceneStorage(dir);
        Random random = new Random(42);
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < SPANS; i++) {
            byte[] tid = new byte[16];
            random.nextBytes(tid);
            TraceId trace = TraceId.fromBytes(tid);
            someTrace = someTrace == null ? trace : someTrace;
            long start = Timestamps.toNanos(T0.minusSeconds(i));
            spans.add(Span.builder()
                    .traceId(trace)
                    .spanId(SpanId.fromBytes(
                            ByteBuffer.allocate(8).putLong(i + 1L).array()))
                    .name("op-" + (i % 50))
                    .kind(i % 3 == 0 ? SpanKind.SERVER : SpanKind.CLIENT)
                    .startTimeUnixNano(start)
                    .endTimeUnixNano(start + 1_000_000L * (1 + i % 700))
                    .status(i % 17 == 0 ? SpanStatus.error("boom") : SpanStatus.OK)
                    .attributes(Attributes.of("http.route", "/r/" + (i % 300), "n", (long) i))
                    .resource(Resource.of("service.name", "svc-" + (i % 20)))
                    .build());
        }
        storage.spanWriter().write(TENANT, spans);
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < LOGS; i++) {
            logs.add(LogRecord.builder()
                    .timeUnixNano(Timestamps.toNanos(T0.minusSeconds(i)))
                    .body("request " + i + " took " + (i % 900) + " ms for user u" + (i % 1000) + " in shard s"
                            + (i % 7))
                    .attributes(Attributes.of("user", "u" + (i % 1000)))
                    .resource(Resource.of("service.name", "svc-" + (i % 20)))
                    .build());
        }
        storage.logWriter().write(TENANT, logs);
        storage.flush();
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    /** Queries a caller could send to make the store work hard: wide ranges, no selective filter, many terms. */
    private static List<Supplier<?>> hostileQueries() {
        var spans = storage.spanReader();
        var logs = storage.logReader();
        LogFilter everything = LogFilter.of(WIDE);
        LogFilter manyTerms = LogFilter.builder(WIDE)
                .term("request")
                .term("took")
                .term("ms")
                .term("for")
                .term("user")
                .term("in")
                .term("shard")
                .build();
        return List.of(
                () -> spans.serviceRed(TENANT, WIDE),
                () -> spans.operationRed(TENANT, "svc-3", WIDE),
                () -> spans.services(TENANT, new TimeRange(T0.minusSeconds(SPANS), T0.minusSeconds(1))),
                () -> spans.operations(TENANT, "svc-1", WIDE),
                () -> spans.searchSpans(
                        TENANT,
                        SpanQuery.builder(WIDE)
                                .range(FieldRef.attribute("n"), 0.0, 1e12)
                                .limit(1000)
                                .build()),
                () -> spans.getTrace(TENANT, someTrace),
                () -> logs.search(TENANT, LogQuery.of(manyTerms, 1000)),
                () -> logs.histogram(TENANT, new LogHistogramQuery(everything, Duration.ofHours(1))),
                () -> logs.topValues(TENANT, new TopValuesQuery(everything, FieldRef.attribute("user"), 100)));
    }

    @Test
    void everyHostileQueryStopsOnceItsTimeIsUp() {
        for (Supplier<?> q : hostileQueries()) {
            assertThatThrownBy(() -> QueryDeadline.run(Duration.ZERO, q))
                    .isInstanceOf(QueryTimeoutException.class)
                    .hasMessageContaining("narrow the time range");
        }
    }

    @Test
    void withinItsTimeAQueryAnswersAsWithoutADeadline() {
        for (Supplier<?> q : hostileQueries()) {
            Object bounded = QueryDeadline.run(Duration.ofHours(1), q);
            assertThat(bounded).isEqualTo(q.get());
        }
        assertThat(storage.spanReader().serviceRed(TENANT, WIDE)).hasSize(20);
        assertThat(storage.spanReader().getTrace(TENANT, someTrace)).hasSize(1);
    }

    @Test
    void luceneConsultsTheDeadlineInsideTheScanNotOnlyBeforeIt() throws Exception {
        // A timeout that trips on its third consultation: the first ones happen before any document is
        // collected, so only a check inside the enumeration can see the later ones.
        PartitionSet set = storage.partitions(TENANT, Signal.SPANS);
        Partition p = set.all().getFirst();
        IndexSearcher acquired = p.acquire();
        try {
            AtomicInteger calls = new AtomicInteger();
            QueryTimeout tripsLate = () -> {
                if (calls.incrementAndGet() >= 3) {
                    throw new QueryTimeoutException(Duration.ofMillis(1));
                }
                return false;
            };
            IndexSearcher bound = Deadlines.bound(acquired, tripsLate);
            AtomicInteger visited = new AtomicInteger();
            assertThatThrownBy(() -> Scan.run(
                            bound,
                            SpanIndex.inRange(Long.MIN_VALUE + 1, Long.MAX_VALUE)
                                    .build(),
                            ctx -> {
                                var start = ctx.reader().getNumericDocValues(SpanIndex.START);
                                return doc -> {
                                    start.advanceExact(doc);
                                    visited.incrementAndGet();
                                };
                            }))
                    .isInstanceOf(QueryTimeoutException.class);
            assertThat(calls.get()).isGreaterThanOrEqualTo(3);
            assertThat(visited.get()).isLessThan(SPANS);
        } finally {
            p.release(acquired);
        }
    }

    @Test
    void anExpiredDeadlineLeavesTheStoreServing() {
        assertThatThrownBy(() -> QueryDeadline.run(
                        Duration.ZERO, () -> storage.spanReader().serviceRed(TENANT, WIDE)))
                .isInstanceOf(QueryTimeoutException.class);
        // the searcher leased by the stopped query was released: later queries and writes work
        assertThat(storage.spanReader().services(TENANT, WIDE)).hasSize(20);
        assertThat(storage.check().ok()).isTrue();
    }
}
