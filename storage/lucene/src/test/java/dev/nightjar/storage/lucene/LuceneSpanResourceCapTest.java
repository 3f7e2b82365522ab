package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client sending a new resource with every span: the span partition's resource table stays capped. */
class LuceneSpanResourceCapTest {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000c1");
    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    private static final TimeRange ALL = new TimeRange(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
    private static final int CAP = ResourceTable.MAX_SPAN_RESOURCES;
    private static final int LATE = 300;
    private static final int N = CAP + LATE;
    private static final int TRACE_SPANS = 100;

    @TempDir
    Path dir;

    private static LuceneStorage lucene(Path dir) {
        return new LuceneStorage(LuceneStorageConfig.defaults(dir).withCommitInterval(null));
    }

    /** Span j has a resource of its own; the last {@link #LATE} (one batch) come past the cap. */
    private static Span span(int j) {
        long start = Timestamps.toNanos(T0) + j * 1_000L;
        String service = j < CAP ? "svc-" + (j % 3) : "late-" + (j % 2);
        return Span.builder()
                .traceId(trace(j / TRACE_SPANS))
                .spanId(SpanId.fromBytes(ByteBuffer.allocate(8).putLong(j + 1L).array()))
                .name("op-" + (j % 4))
                .kind(SpanKind.SERVER)
                .startTimeUnixNano(start)
                .endTimeUnixNano(start + 1_000_000L * (1 + j % 50))
                .status(j % 7 == 0 ? SpanStatus.error("boom") : SpanStatus.OK)
                .resource(Resource.of("service.name", service, "request.id", "r-" + j, "n", (long) j))
                .build();
    }

    private static TraceId trace(int t) {
        return TraceId.fromBytes(
                ByteBuffer.allocate(16).putLong(7).putLong(t + 1L).array());
    }

    @Test
    void spansPastTheResourceCapCarryTheirResourceAndAnswerExactly() {
        List<Span> all = new ArrayList<>();
        for (int j = 0; j < N; j++) {
            all.add(span(j));
        }
        try (LuceneStorage store = lucene(dir)) {
            // batches of 1,000: the first ten fill the table exactly, the last batch is all past the cap
            for (int i = 0; i < N; i += 1000) {
                store.spanWriter().write(TENANT, all.subList(i, Math.min(N, i + 1000)));
            }
            store.flush();
            assertThat(onlyPartition(store).resources.size()).isEqualTo(CAP);
            assertExact(store, all);
        }
        // the inline resources are in the span documents: they survive a restart, the table stays capped
        try (LuceneStorage store = lucene(dir)) {
            assertExact(store, all);
            assertThat(onlyPartition(store).resources.size()).isEqualTo(CAP);
        }
    }

    private static void assertExact(LuceneStorage store, List<Span> all) {
        // every trace whole, with the right resources (the last traces are all inline, one is mixed)
        for (int t = 0; t * TRACE_SPANS < N; t++) {
            List<Span> expected = all.subList(t * TRACE_SPANS, Math.min(N, (t + 1) * TRACE_SPANS));
            assertThat(store.spanReader().getTrace(TENANT, trace(t))).containsExactlyElementsOf(expected);
        }
        // a resource attribute filter, in the table and inline
        for (int j : new int[] {0, 5, CAP - 1, CAP, CAP + 1, N - 1}) {
            assertThat(search(store, SpanQuery.builder(ALL).filter(AttributeFilter.resource("request.id", "r-" + j))))
                    .containsExactly(all.get(j));
        }
        // a numeric range on a resource attribute across the cap
        assertThat(search(
                        store,
                        SpanQuery.builder(ALL).range(FieldRef.resource("n"), (double) CAP - 20, (double) CAP + 19)))
                .containsExactlyInAnyOrderElementsOf(all.subList(CAP - 20, CAP + 20));
        // by service (span field) and by service.name as a resource filter, only inline spans
        List<Span> late0 = all.subList(CAP, N).stream()
                .filter(s -> s.resource().serviceName().equals("late-0"))
                .toList();
        assertThat(search(store, SpanQuery.builder(ALL).service("late-0"))).containsExactlyInAnyOrderElementsOf(late0);
        assertThat(search(store, SpanQuery.builder(ALL).filter(AttributeFilter.resource("service.name", "late-0"))))
                .containsExactlyInAnyOrderElementsOf(late0);
        // resource filters on inline spans combine: all must hold
        assertThat(search(
                        store,
                        SpanQuery.builder(ALL)
                                .filter(AttributeFilter.resource("service.name", "late-1"))
                                .filter(AttributeFilter.resource("request.id", "r-" + CAP))))
                .isEmpty();
        assertThat(search(store, SpanQuery.builder(ALL).filter(AttributeFilter.resource("request.id", "r-" + N))))
                .isEmpty();

        assertThat(store.spanReader().services(TENANT, ALL))
                .containsExactly("late-0", "late-1", "svc-0", "svc-1", "svc-2");
        assertThat(store.spanReader().operations(TENANT, "late-1", ALL))
                .extracting(Operation::name)
                .containsExactly("op-1", "op-3");
        Map<String, long[]> expected = new TreeMap<>();
        for (Span s : all) {
            long[] re = expected.computeIfAbsent(s.resource().serviceName(), k -> new long[2]);
            re[0]++;
            re[1] += s.status().equals(SpanStatus.OK) ? 0 : 1;
        }
        Map<String, long[]> actual = new TreeMap<>();
        for (RedStats r : store.spanReader().serviceRed(TENANT, ALL)) {
            actual.put(r.service(), new long[] {r.requests(), r.errors()});
        }
        assertThat(actual).containsOnlyKeys(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).containsExactly(v));
    }

    private static List<Span> search(LuceneStorage store, SpanQuery.Builder q) {
        return store.spanReader().searchSpans(TENANT, q.limit(1000).build());
    }

    private static Partition onlyPartition(LuceneStorage store) {
        try {
            List<Partition> all = store.partitions(TENANT, Signal.SPANS).all();
            assertThat(all).hasSize(1);
            return all.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
