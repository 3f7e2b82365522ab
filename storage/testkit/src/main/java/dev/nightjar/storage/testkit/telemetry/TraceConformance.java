package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanEvent;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanLink;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanStatus;
import dev.nightjar.core.traces.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trace by id, span search, services and operations. */
public abstract class TraceConformance extends StorageConformance {

    @Test
    void unknownTraceIsEmpty() {
        assertThat(storage.spanReader().getTrace(TENANT_A, newTraceId())).isEmpty();
    }

    @Test
    void traceIsAssembledWhateverTheArrivalOrder() {
        TraceId trace = newTraceId();
        Instant start = T0.minusSeconds(100);
        Span root = span(trace, null, "frontend", "GET /cart", start, Duration.ofMillis(120))
                .build();
        Span child1 = span(trace, root.spanId(), "frontend", "render", start.plusMillis(5), Duration.ofMillis(10))
                .build();
        Span child2 = span(trace, root.spanId(), "cart", "SELECT cart", start.plusMillis(20), Duration.ofMillis(50))
                .kind(SpanKind.CLIENT)
                .build();
        Span grandchild = span(trace, child2.spanId(), "db", "query", start.plusMillis(21), Duration.ofMillis(40))
                .kind(SpanKind.SERVER)
                .build();
        TraceId other = newTraceId();
        Span noise = span(other, null, "frontend", "GET /other", start.plusMillis(1), Duration.ofMillis(3))
                .build();

        writeSpans(TENANT_A, List.of(grandchild, noise));
        writeSpans(TENANT_A, List.of(child2));
        writeSpans(TENANT_A, List.of(child1));
        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(child1, child2, grandchild);
        writeSpans(TENANT_A, List.of(root));

        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(root, child1, child2, grandchild);
        assertThat(storage.spanReader().getTrace(TENANT_A, other)).containsExactly(noise);
    }

    @Test
    void searchFindsEachSpanWithItsOwnDataAcrossSeparateWrites() {
        // each write is flushed on its own, so a store with segments holds these in different ones
        List<Span> written = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Span s = span(newTraceId(), null, "svc-" + i, "op-" + i, T0.minusSeconds(60 - i), Duration.ofMillis(i + 1))
                    .build();
            written.add(s);
            writeSpans(TENANT_A, List.of(s));
        }
        List<Span> found = storage.spanReader()
                .searchSpans(TENANT_A, SpanQuery.builder(lastHour()).build());
        assertThat(found).containsExactlyInAnyOrderElementsOf(written);
        assertThat(storage.spanReader()
                        .searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour()).service("svc-2").build()))
                .containsExactly(written.get(2));
    }

    @Test
    void traceSpanningMidnightAndDaysIsFoundWhole() {
        TraceId trace = newTraceId();
        Instant midnight = Instant.parse("2026-11-22T00:00:00Z");
        Span root = span(trace, null, "batch", "nightly", midnight.minusMillis(100), Duration.ofHours(2))
                .build();
        Span child = span(trace, root.spanId(), "batch", "step", midnight.plusMillis(100), Duration.ofMillis(5))
                .build();
        Span late = span(
                        trace,
                        root.spanId(),
                        "batch",
                        "cleanup",
                        midnight.minus(Duration.ofDays(1)),
                        Duration.ofMillis(5))
                .build();
        writeSpans(TENANT_A, List.of(child));
        writeSpans(TENANT_A, List.of(late, root));
        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(late, root, child);
    }

    @Test
    void duplicateSpansFromARetriedBatchAppearOnce() {
        TraceId trace = newTraceId();
        Span root = span(trace, null, "api", "GET /", T0.minusSeconds(5), Duration.ofMillis(3))
                .build();
        Span child = span(trace, root.spanId(), "api", "work", T0.minusSeconds(5), Duration.ofMillis(1))
                .build();
        writeSpans(TENANT_A, List.of(root, child));
        writeSpans(TENANT_A, List.of(root, child));
        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(root, child);
    }

    @Test
    void spansWithEqualStartAreOrderedBySpanId() {
        TraceId trace = newTraceId();
        Instant start = T0.minusSeconds(5);
        Span a = span(trace, null, "api", "a", start, Duration.ofMillis(3))
                .spanId(SpanId.fromHex("f000000000000001"))
                .build();
        Span b = span(trace, null, "api", "b", start, Duration.ofMillis(3))
                .spanId(SpanId.fromHex("0000000000000002"))
                .build();
        writeSpans(TENANT_A, List.of(a, b));
        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(b, a);
    }

    @Test
    void spansRoundTripExactly() {
        TraceId trace = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
        Span full = Span.builder()
                .traceId(trace)
                .spanId(SpanId.fromHex("b7ad6b7169203331"))
                .parentSpanId(SpanId.fromHex("00f067aa0ba902b7"))
                .traceState("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
                .flags(1)
                .name("POST /api/订单 🚀")
                .kind(SpanKind.PRODUCER)
                .startTimeUnixNano(nanos(T0.minusSeconds(9)) + 7)
                .endTimeUnixNano(nanos(T0.minusSeconds(8)) + 9)
                .attributes(Attributes.builder()
                        .put("http.request.method", "POST")
                        .put("http.response.status_code", 500L)
                        .put("weights", AttributeValue.ofArray(List.of(AttributeValue.of(0.5), AttributeValue.of(1.5))))
                        .put("blob", AttributeValue.ofBytes(new byte[] {9, 8, 7}))
                        .build())
                .events(List.of(
                        new SpanEvent(
                                nanos(T0.minusSeconds(9)) + 100,
                                "exception",
                                Attributes.of("exception.message", "boom\nline2")),
                        new SpanEvent(nanos(T0.minusSeconds(9)) + 200, "retry", Attributes.EMPTY)))
                .links(List.of(new SpanLink(
                        TraceId.fromHex("11111111111111111111111111111111"),
                        SpanId.fromHex("2222222222222222"),
                        "k=v",
                        Attributes.of("link.kind", "follows"))))
                .status(SpanStatus.error("upstream said no"))
                .resource(service("orders", "k8s.pod.name", "orders-1", "host.name", "node-2"))
                .scope(new InstrumentationScope("io.opentelemetry.http", "1.2.3", Attributes.of("a", 1L)))
                .build();
        writeSpans(TENANT_A, List.of(full));
        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(full);
        assertThat(storage.spanReader()
                        .searchSpans(TENANT_A, SpanQuery.builder(lastHour()).build()))
                .containsExactly(full);
    }

    /** 12 spans in "shop" and "ads" with varied names, kinds, status, durations and attributes. */
    private List<Span> searchFixture() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TraceId t = newTraceId();
            spans.add(span(
                            t,
                            null,
                            i % 3 == 0 ? "ads" : "shop",
                            i % 2 == 0 ? "GET /items" : "POST /order",
                            T0.minusSeconds(10L * (i + 1)),
                            Duration.ofMillis(10L * (i + 1)))
                    .kind(i % 4 == 3 ? SpanKind.CONSUMER : SpanKind.SERVER)
                    .status(i % 5 == 4 ? SpanStatus.error("failed") : SpanStatus.OK)
                    .attributes(Attributes.of(
                            "http.response.status_code", i % 5 == 4 ? 503L : 200L, "shard", "s" + (i % 2)))
                    .resource(service(i % 3 == 0 ? "ads" : "shop", "k8s.namespace.name", i < 6 ? "prod" : "staging"))
                    .build());
        }
        return spans;
    }

    private List<Integer> indexes(List<Span> fixture, List<Span> found) {
        return found.stream().map(fixture::indexOf).toList();
    }

    @Test
    void spanSearchFiltersEachDimensionNewestFirst() {
        List<Span> f = searchFixture();
        writeSpans(TENANT_A, f);
        var reader = storage.spanReader();
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A, SpanQuery.builder(lastHour()).build())))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour()).service("ads").build())))
                .containsExactly(0, 3, 6, 9);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .spanName("POST /order")
                                        .build())))
                .containsExactly(1, 3, 5, 7, 9, 11);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .kind(SpanKind.CONSUMER)
                                        .build())))
                .containsExactly(3, 7, 11);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .status(StatusCode.ERROR)
                                        .build())))
                .containsExactly(4, 9);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .minDuration(Duration.ofMillis(30))
                                        .maxDuration(Duration.ofMillis(60))
                                        .build())))
                .as("duration bounds are inclusive")
                .containsExactly(2, 3, 4, 5);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .filter(AttributeFilter.resource("k8s.namespace.name", "staging"))
                                        .filter(AttributeFilter.attribute("shard", "s1"))
                                        .build())))
                .containsExactly(7, 9, 11);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .range(FieldRef.attribute("http.response.status_code"), 500.0, null)
                                        .build())))
                .containsExactly(4, 9);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A,
                                SpanQuery.builder(lastHour())
                                        .service("shop")
                                        .spanName("GET /items")
                                        .kind(SpanKind.SERVER)
                                        .status(StatusCode.OK)
                                        .build())))
                .containsExactly(2, 8, 10);
        assertThat(indexes(
                        f,
                        reader.searchSpans(
                                TENANT_A, SpanQuery.builder(lastHour()).limit(3).build())))
                .containsExactly(0, 1, 2);
        assertThat(reader.searchSpans(
                        TENANT_A, SpanQuery.builder(lastHour()).service("nope").build()))
                .isEmpty();
    }

    @Test
    void spanSearchTimeRangeIsHalfOpenOnStartTime() {
        List<Span> f = searchFixture();
        writeSpans(TENANT_A, f);
        // span i starts at T0 - 10(i+1) s: [T0-50s, T0-20s) holds i = 2, 3, 4 (i = 1 starts at the end)
        assertThat(indexes(
                        f,
                        storage.spanReader()
                                .searchSpans(
                                        TENANT_A,
                                        SpanQuery.builder(range(T0.minusSeconds(50), T0.minusSeconds(20)))
                                                .build())))
                .containsExactly(2, 3, 4);
    }

    @Test
    void servicesAreDistinctSortedAndTimeBounded() {
        writeSpans(TENANT_A, searchFixture());
        writeSpans(
                TENANT_A,
                List.of(span(newTraceId(), null, "zeta-old", "x", T0.minus(Duration.ofHours(3)), Duration.ofMillis(1))
                        .build()));
        writeSpans(
                TENANT_A,
                List.of(span(newTraceId(), null, "Ärger", "x", T0.minusSeconds(1), Duration.ofMillis(1))
                        .build()));
        assertThat(storage.spanReader().services(TENANT_A, lastHour())).containsExactly("ads", "shop", "Ärger");
        assertThat(storage.spanReader().services(TENANT_A, around(Duration.ofHours(4), Duration.ZERO)))
                .containsExactly("ads", "shop", "zeta-old", "Ärger");
        assertThat(storage.spanReader()
                        .services(TENANT_A, range(T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofDays(2)))))
                .isEmpty();
    }

    @Test
    void operationsArePerServiceNameAndKind() {
        writeSpans(TENANT_A, searchFixture());
        assertThat(storage.spanReader().operations(TENANT_A, "ads", lastHour()))
                .containsExactly(
                        new Operation("GET /items", SpanKind.SERVER),
                        new Operation("POST /order", SpanKind.SERVER),
                        new Operation("POST /order", SpanKind.CONSUMER));
        assertThat(storage.spanReader().operations(TENANT_A, "nope", lastHour()))
                .isEmpty();
        assertThat(storage.spanReader().operations(TENANT_A, "ads", range(T0.minusSeconds(15), T0)))
                .containsExactly(new Operation("GET /items", SpanKind.SERVER));
    }

    @Test
    void invalidSpanQueriesAreRejected() {
        assertThatThrownBy(() -> SpanQuery.builder(lastHour()).limit(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanQuery.builder(lastHour()).limit(5000).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanQuery.builder(lastHour())
                        .minDuration(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanQuery.builder(lastHour())
                        .minDuration(Duration.ofSeconds(2))
                        .maxDuration(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanQuery.builder(lastHour()).service("").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanQuery.builder(lastHour())
                        .filter(AttributeFilter.intrinsic(FieldRef.TRACE_ID, "x"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanQuery.builder(around(Duration.ofDays(33), Duration.ZERO))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.spanReader().services(TENANT_A, around(Duration.ofDays(33), Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.spanReader().getTrace(null, newTraceId()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TraceId.fromHex("zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceId.fromHex("00000000000000000000000000000000"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
