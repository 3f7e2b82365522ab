package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log filters: exact resource, attribute and intrinsic filters, typed values, numeric ranges, severity, full text. */
public abstract class LogFilterConformance extends StorageConformance {

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
}
