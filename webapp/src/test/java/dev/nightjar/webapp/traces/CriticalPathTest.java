package dev.nightjar.webapp.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {
    private static final TraceId TRACE = new TraceId(1, 2);

    private static Span span(long id, Long parent, long start, long end) {
        return Span.builder()
                .traceId(TRACE)
                .spanId(new SpanId(id))
                .parentSpanId(parent == null ? null : new SpanId(parent))
                .name("op" + id)
                .startTimeUnixNano(start)
                .endTimeUnixNano(end)
                .build();
    }

    private static List<Long> ids(List<Span> path) {
        return path.stream().map(s -> s.spanId().value()).toList();
    }

    @Test
    void followsTheChildThatEndsLastAtEveryLevel() {
        // root 1 [0,100]: children 2 [5,40] and 3 [10,95]; 3 has 4 [12,50] and 5 [55,90]; 2 has 6 [6,39].
        List<Span> spans = List.of(
                span(1, null, 1, 100),
                span(2, 1L, 5, 40),
                span(3, 1L, 10, 95),
                span(4, 3L, 12, 50),
                span(5, 3L, 55, 90),
                span(6, 2L, 6, 39));
        assertThat(ids(CriticalPath.of(spans))).containsExactly(1L, 3L, 5L);
    }

    @Test
    void orderOfArrivalDoesNotMatter() {
        List<Span> spans = new ArrayList<>(
                List.of(span(5, 3L, 55, 90), span(3, 1L, 10, 95), span(1, null, 1, 100), span(2, 1L, 5, 40)));
        assertThat(ids(CriticalPath.of(spans))).containsExactly(1L, 3L, 5L);
        java.util.Collections.reverse(spans);
        assertThat(ids(CriticalPath.of(spans))).containsExactly(1L, 3L, 5L);
    }

    @Test
    void aChildOutlivingItsParentStillDecidesTheEnd() {
        // Asynchronous work: the root returns at 20, its child ends at 80.
        List<Span> spans = List.of(span(1, null, 1, 20), span(2, 1L, 5, 80), span(3, 1L, 2, 10));
        assertThat(ids(CriticalPath.of(spans))).containsExactly(1L, 2L);
    }

    @Test
    void orphansAndSeveralRootsPickTheRootThatEndsLast() {
        // 2's parent 99 never arrived: it is a root of its own, and it ends after 1.
        List<Span> spans = List.of(span(1, null, 1, 50), span(2, 99L, 10, 70), span(3, 2L, 20, 60));
        assertThat(ids(CriticalPath.of(spans))).containsExactly(2L, 3L);
    }

    @Test
    void emptyAndSingleSpanTraces() {
        assertThat(CriticalPath.of(List.of())).isEmpty();
        assertThat(ids(CriticalPath.of(List.of(span(7, null, 1, 2))))).containsExactly(7L);
    }

    @Test
    void parentCyclesTerminate() {
        // 1 -> 2 -> 1: neither is a root by its parent id; 3 is the only root.
        List<Span> spans = List.of(span(1, 2L, 1, 10), span(2, 1L, 2, 9), span(3, null, 1, 5));
        assertThat(ids(CriticalPath.of(spans))).containsExactly(3L);
        TraceTree tree = new TraceTree(spans);
        assertThat(tree.rows()).hasSize(3);
        // A span naming itself as parent is a root, not a loop.
        assertThat(ids(CriticalPath.of(List.of(span(4, 4L, 1, 3))))).containsExactly(4L);
    }

    @Test
    void waterfallRowsAreDepthFirstByStartTime() {
        List<Span> spans = List.of(
                span(1, null, 1, 100),
                span(3, 1L, 10, 95),
                span(2, 1L, 5, 40),
                span(4, 3L, 12, 50),
                span(6, 2L, 6, 39));
        List<TraceTree.Row> rows = new TraceTree(spans).rows();
        assertThat(rows).extracting(r -> r.span().spanId().value()).containsExactly(1L, 2L, 6L, 3L, 4L);
        assertThat(rows).extracting(TraceTree.Row::depth).containsExactly(0, 1, 2, 1, 2);
    }

    @Test
    void veryDeepTracesDoNotOverflowTheStack() {
        List<Span> spans = new ArrayList<>();
        spans.add(span(1, null, 1, 1_000_000));
        for (long i = 2; i <= 20_000; i++) {
            spans.add(span(i, i - 1, i, 1_000_000 - i));
        }
        assertThat(CriticalPath.of(spans)).hasSize(20_000);
        assertThat(new TraceTree(spans).rows().getLast().depth()).isEqualTo(19_999);
    }
}
