package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
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

/** Log search: order, paging, time ranges, exact and numeric filters, severity, full text. */
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
    void resourceAndAttributeFiltersMatchExactly() {
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "a")
                                .resource(service("checkout", "k8s.namespace.name", "shop"))
                                .attributes(Attributes.of("http.method", "GET"))
                                .build(),
                        log(T0.minusSeconds(2), "b")
                                .resource(service("checkout", "k8s.namespace.name", "shop"))
                                .attributes(Attributes.of("http.method", "POST"))
                                .build(),
                        log(T0.minusSeconds(3), "c")
                                .resource(service("payments", "k8s.namespace.name", "shop"))
                                .attributes(Attributes.of("http.method", "GET"))
                                .build(),
                        log(T0.minusSeconds(4), "d")
                                .resource(service("checkout-v2"))
                                .attributes(Attributes.of("http.method", "get"))
                                .build()));
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).resource("service.name", "checkout"))))
                .containsExactly("a", "b");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).attribute("http.method", "GET"))))
                .as("exact and case-sensitive")
                .containsExactly("a", "c");
        assertThat(bodies(search(
                        TENANT_A,
                        LogFilter.builder(lastHour())
                                .resource("k8s.namespace.name", "shop")
                                .attribute("http.method", "GET")
                                .resource("service.name", "payments"))))
                .containsExactly("c");
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).resource("service.name", "check")))
                .as("no prefix match")
                .isEmpty();
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("service.name", "checkout")))
                .as("resource and record attributes are separate scopes")
                .isEmpty();
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("no.such.key", "x")))
                .isEmpty();
    }

    @Test
    void typedAttributesMatchByTheirTextForm() {
        writeLogs(
                TENANT_A,
                List.of(log(T0.minusSeconds(1), "typed")
                        .attributes(Attributes.builder()
                                .put("http.status_code", 200L)
                                .put("retry", true)
                                .put("ratio", 1.5)
                                .put(
                                        "tags",
                                        AttributeValue.ofArray(
                                                List.of(AttributeValue.of("blue"), AttributeValue.of(7L))))
                                .put("raw", AttributeValue.ofBytes(new byte[] {1, 2, 3}))
                                .build())
                        .build()));
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("http.status_code", "200")))
                .hasSize(1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("retry", "true")))
                .hasSize(1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("ratio", "1.5")))
                .hasSize(1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("tags", "blue")))
                .hasSize(1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("tags", "7")))
                .hasSize(1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("tags", "red")))
                .isEmpty();
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("raw", "AQID")))
                .as("bytes are not keyword-indexed")
                .isEmpty();
    }

    @Test
    void intrinsicFieldsFilter() {
        TraceId trace = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
        SpanId span = SpanId.fromHex("00f067aa0ba902b7");
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "linked")
                                .traceId(trace)
                                .spanId(span)
                                .severityText("Warning")
                                .severityNumber(13)
                                .scope(InstrumentationScope.of("io.grpc", "1.6"))
                                .build(),
                        log(T0.minusSeconds(2), "plain").build()));
        assertThat(bodies(search(
                        TENANT_A,
                        LogFilter.builder(lastHour())
                                .filter(AttributeFilter.intrinsic(
                                        FieldRef.TRACE_ID, "4BF92F3577B34DA6A3CE929D0E0E4736")))))
                .containsExactly("linked");
        assertThat(bodies(search(
                        TENANT_A,
                        LogFilter.builder(lastHour())
                                .filter(AttributeFilter.intrinsic(FieldRef.SPAN_ID, "00f067aa0ba902b7")))))
                .containsExactly("linked");
        assertThat(bodies(search(
                        TENANT_A,
                        LogFilter.builder(lastHour())
                                .filter(AttributeFilter.intrinsic(FieldRef.SEVERITY_TEXT, "Warning")))))
                .containsExactly("linked");
        assertThat(bodies(search(
                        TENANT_A, LogFilter.builder(lastHour()).filter(AttributeFilter.parse("scope.name=io.grpc")))))
                .containsExactly("linked");
        assertThat(bodies(search(
                        TENANT_A,
                        LogFilter.builder(lastHour()).filter(AttributeFilter.parse("resource.host.name=node-1")))))
                .containsExactly("linked", "plain");
    }

    @Test
    void numericRangesAreInclusiveAndTyped() {
        List<LogRecord> records = new ArrayList<>();
        Object[] codes = {200L, 404L, 499.5, 500L, 503L, 599.0, 600L, "550", -1L};
        for (int i = 0; i < codes.length; i++) {
            records.add(log(T0.minusSeconds(i + 1), "code " + codes[i])
                    .attributes(Attributes.of("http.status_code", codes[i]))
                    .build());
        }
        records.add(log(T0.minusSeconds(20), "no code").build());
        writeLogs(TENANT_A, records);
        FieldRef code = FieldRef.attribute("http.status_code");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).range(code, 500.0, 599.0))))
                .containsExactly("code 500", "code 503", "code 599.0");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).range(code, null, 404.0))))
                .containsExactly("code 200", "code 404", "code -1");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).range(code, 499.5, null))))
                .containsExactly("code 499.5", "code 500", "code 503", "code 599.0", "code 600");
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).range(code, 700.0, 800.0)))
                .isEmpty();
        writeLogs(
                TENANT_A,
                List.of(log(T0.minusSeconds(30), "resource numeric")
                        .resource(service("checkout", "process.pid", 4242L))
                        .build()));
        assertThat(bodies(search(
                        TENANT_A,
                        LogFilter.builder(lastHour()).range(FieldRef.resource("process.pid"), 4000.0, 5000.0))))
                .containsExactly("resource numeric");
    }

    @Test
    void severityLevelsFilter() {
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "debug")
                                .severity(SeverityLevel.DEBUG)
                                .build(),
                        log(T0.minusSeconds(2), "error")
                                .severity(SeverityLevel.ERROR)
                                .build(),
                        log(T0.minusSeconds(3), "error2").severityNumber(20).build(),
                        log(T0.minusSeconds(4), "fatal")
                                .severity(SeverityLevel.FATAL)
                                .build(),
                        log(T0.minusSeconds(5), "unset")
                                .severityNumber(0)
                                .severityText("")
                                .build()));
        assertThat(bodies(search(
                        TENANT_A, LogFilter.builder(lastHour()).severity(SeverityLevel.ERROR, SeverityLevel.FATAL))))
                .containsExactly("error", "error2", "fatal");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).severity(SeverityLevel.UNSPECIFIED))))
                .containsExactly("unset");
    }

    @Test
    void fullTextMatchesWholeWordsCaseInsensitively() {
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "Connection REFUSED by upstream db.example.com:5432")
                                .build(),
                        log(T0.minusSeconds(2), "refused connection from 10.0.0.7")
                                .build(),
                        log(T0.minusSeconds(3), "request timeout after 30s").build(),
                        log(T0.minusSeconds(4), "timeouts are configured per route")
                                .build(),
                        log(T0.minusSeconds(5), "user_id=42 logged in").build()));
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("refused"))))
                .hasSize(2);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("TIMEOUT"))))
                .as("whole words only, any case")
                .containsExactly("request timeout after 30s");
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("time"))).isEmpty();
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("connection refused"))))
                .as("a multi-word term is a phrase")
                .containsExactly("Connection REFUSED by upstream db.example.com:5432");
        assertThat(bodies(search(
                        TENANT_A, LogFilter.builder(lastHour()).term("refused").term("upstream"))))
                .as("terms AND together")
                .containsExactly("Connection REFUSED by upstream db.example.com:5432");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("example.com"))))
                .containsExactly("Connection REFUSED by upstream db.example.com:5432");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("10.0.0.7"))))
                .containsExactly("refused connection from 10.0.0.7");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("user_id"))))
                .containsExactly("user_id=42 logged in");
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("nowhere")))
                .isEmpty();
    }

    @Test
    void fullTextCombinesWithFiltersAndSeverity() {
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "payment failed")
                                .severity(SeverityLevel.ERROR)
                                .build(),
                        log(T0.minusSeconds(2), "payment failed")
                                .severity(SeverityLevel.ERROR)
                                .resource(service("billing"))
                                .build(),
                        log(T0.minusSeconds(3), "payment failed")
                                .severity(SeverityLevel.WARN)
                                .build(),
                        log(T0.minusSeconds(4), "payment ok")
                                .severity(SeverityLevel.ERROR)
                                .build()));
        assertThat(search(
                        TENANT_A,
                        LogFilter.builder(lastHour())
                                .term("failed")
                                .resource("service.name", "checkout")
                                .severity(SeverityLevel.ERROR)))
                .hasSize(1)
                .first()
                .extracting(LogRecord::effectiveTimeUnixNano)
                .isEqualTo(nanos(T0.minusSeconds(1)));
    }

    @Test
    void nonStringBodiesAreSearchedByTheirText() {
        LogRecord structured = log(T0.minusSeconds(1), "")
                .body(new AttributeValue.MapValue(Attributes.of("msg", "cache miss", "key", "user:42")))
                .build();
        writeLogs(TENANT_A, List.of(structured));
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("cache miss")))
                .containsExactly(structured);
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
