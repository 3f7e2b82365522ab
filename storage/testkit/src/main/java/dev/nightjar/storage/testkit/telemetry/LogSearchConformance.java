package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Log search: order, paging, time ranges, round trip of every field, validation of queries. */
public abstract class LogSearchConformance extends StorageConformance {

    @Test
    void emptyStoreAnswersEmptyPage() {
        LogPage page = firstPage(TENANT_A, LogFilter.of(lastHour()), 10);
        assertThat(page.records()).isEmpty();
        assertThat(page.next()).isNull();
    }

    @Test
    void writingAnEmptyBatchIsANoOp() {
        writeLogs(TENANT_A, List.of());
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).isEmpty();
    }

    @Test
    void newestFirstWhateverTheWriteOrder() {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(log(T0.minusSeconds(i * 7L), "record " + i).build());
        }
        List<LogRecord> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(7));
        writeLogs(TENANT_A, shuffled.subList(0, 20));
        writeLogs(TENANT_A, shuffled.subList(20, 40));

        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactlyElementsOf(records);
    }

    @Test
    void pagesNeitherRepeatNorSkipEvenWithEqualTimestamps() {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 237; i++) {
            // five records share each timestamp: the tiebreak must still give a total order
            records.add(log(T0.minusSeconds(i / 5), "same-time record " + i).build());
        }
        Collections.shuffle(records, new Random(11));
        for (int i = 0; i < records.size(); i += 50) {
            writeLogs(TENANT_A, records.subList(i, Math.min(records.size(), i + 50)));
        }

        List<LogRecord> paged = searchAllPages(TENANT_A, LogFilter.of(lastHour()), 10);
        assertThat(paged).hasSize(237).containsExactlyInAnyOrderElementsOf(records);
        assertThat(new HashSet<>(bodies(paged))).hasSize(237);

        // the same walk again gives the same order: the tiebreak is stable
        assertThat(searchAllPages(TENANT_A, LogFilter.of(lastHour()), 10)).containsExactlyElementsOf(paged);
        // and a big page agrees with the small pages
        assertThat(searchAllPages(TENANT_A, LogFilter.of(lastHour()), 1000)).containsExactlyElementsOf(paged);
    }

    @Test
    void exactMultipleOfPageSizeEndsWithoutAnEmptyPage() {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(log(T0.minusSeconds(i), "r" + i).build());
        }
        writeLogs(TENANT_A, records);
        LogFilter all = LogFilter.of(lastHour());
        LogPage p1 = firstPage(TENANT_A, all, 10);
        LogPage p2 = storage.logReader().search(TENANT_A, LogQuery.of(all, 10).after(p1.next()));
        LogPage p3 = storage.logReader().search(TENANT_A, LogQuery.of(all, 10).after(p2.next()));
        assertThat(p3.records()).hasSize(10);
        assertThat(p3.next()).isNull();
        assertThat(bodies(p3.records()))
                .containsExactly("r20", "r21", "r22", "r23", "r24", "r25", "r26", "r27", "r28", "r29");
    }

    @Test
    void pagingWorksWhileNewerRecordsArrive() {
        List<LogRecord> old = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            old.add(log(T0.minusSeconds(60 + i), "old " + i).build());
        }
        writeLogs(TENANT_A, old);
        LogFilter all = LogFilter.of(lastHour());
        LogPage p1 = firstPage(TENANT_A, all, 10);
        writeLogs(TENANT_A, List.of(log(T0.minusSeconds(1), "newer").build()));
        LogPage p2 = storage.logReader().search(TENANT_A, LogQuery.of(all, 10).after(p1.next()));
        assertThat(bodies(p2.records())).doesNotContain("newer").first().isEqualTo("old 10");
    }

    @Test
    void timeRangeIsHalfOpenToTheNanosecond() {
        Instant start = T0.minusSeconds(600);
        Instant end = T0.minusSeconds(60);
        writeLogs(
                TENANT_A,
                List.of(
                        log(start.minusNanos(1), "before start").build(),
                        log(start, "at start").build(),
                        log(end.minusNanos(1), "just before end").build(),
                        log(end, "at end").build()));
        assertThat(bodies(search(TENANT_A, LogFilter.of(range(start, end)))))
                .containsExactly("just before end", "at start");
        assertThat(search(TENANT_A, LogFilter.of(range(start, start)))).isEmpty();
    }

    @Test
    void recordWithoutTimeIsPlacedByItsObservedTime() {
        LogRecord noTime = log(T0, "observed only")
                .timeUnixNano(0)
                .observedTimeUnixNano(nanos(T0.minusSeconds(30)))
                .build();
        writeLogs(TENANT_A, List.of(noTime, log(T0.minusSeconds(10), "timed").build()));
        assertThat(search(TENANT_A, LogFilter.of(around(Duration.ofSeconds(40), Duration.ofSeconds(-20)))))
                .containsExactly(noTime);
    }

    @Test
    void recordsRoundTripExactly() {
        LogRecord full = LogRecord.builder()
                .timeUnixNano(nanos(T0.minusSeconds(5)) + 123)
                .observedTimeUnixNano(nanos(T0.minusSeconds(4)) + 456)
                .severityNumber(18)
                .severityText("ERROR2")
                .body(AttributeValue.of("line one\nline two\ttabbed \"quoted\" \\ back"))
                .attributes(Attributes.builder()
                        .put("s", "text")
                        .put("l", Long.MIN_VALUE)
                        .put("d", -0.0)
                        .put("nan", Double.NaN)
                        .put("inf", Double.POSITIVE_INFINITY)
                        .put("b", false)
                        .put("bytes", AttributeValue.ofBytes(new byte[] {0, -1, 127, -128}))
                        .put("arr", AttributeValue.ofArray(List.of(AttributeValue.of("x"), AttributeValue.of(2.5))))
                        .put(
                                "map",
                                new AttributeValue.MapValue(
                                        Attributes.of("inner", 1L, "deep", Attributes.of("k", "v"))))
                        .put("empty", "")
                        .build())
                .traceId(TraceId.fromHex("ffffffffffffffff0000000000000001"))
                .spanId(SpanId.fromHex("8000000000000000"))
                .flags(0x101)
                .resource(service("checkout", "k8s.pod.name", "checkout-7d9f", "host.name", "node-1"))
                .scope(new InstrumentationScope("lib", "9.9", Attributes.of("scope.attr", true)))
                .build();
        writeLogs(TENANT_A, List.of(full));
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactly(full);
    }

    @Test
    void invalidQueriesAreRejectedWithClearErrors() {
        LogFilter all = LogFilter.of(lastHour());
        assertThatThrownBy(() -> LogQuery.of(all, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> LogQuery.of(all, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogFilter.of(around(Duration.ofDays(40), Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> LogFilter.builder(lastHour()).term("  ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("searchable");
        assertThatThrownBy(() -> LogFilter.builder(lastHour()).term("*:)").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        LogFilter.builder(lastHour()).term("x".repeat(2000)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogCursor.decode("not a cursor")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttributeFilter.parse("novalue")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttributeFilter.intrinsic("body", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldRef.attribute("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogFilter.builder(lastHour())
                        .range(FieldRef.attribute("x"), 5.0, 1.0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.logReader().search(null, LogQuery.of(all, 10)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> storage.logWriter().write(null, List.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void queryTextIsNeverInterpretedAsSyntax() {
        writeLogs(
                TENANT_A,
                List.of(log(T0.minusSeconds(1), "status:500 AND path:/x OR *").build()));
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("status:500 AND path")))
                .hasSize(1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("500 OR nothing")))
                .isEmpty();
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("a\" OR \"1\"=\"1", "*")))
                .isEmpty();
    }
}
