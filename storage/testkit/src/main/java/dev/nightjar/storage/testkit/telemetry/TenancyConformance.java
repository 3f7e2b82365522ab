package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same data in two tenants, plus some only in one: every read sees only its own tenant's data. */
public abstract class TenancyConformance extends StorageConformance {

    private final List<LogRecord> shared = new ArrayList<>();
    private TraceId sharedTrace;
    private TraceId onlyA;
    private List<Span> sharedSpans;

    private void fixture() {
        for (int i = 0; i < 30; i++) {
            shared.add(log(T0.minusSeconds(i + 1), "shared needle " + i).build());
        }
        writeLogs(TENANT_A, shared);
        writeLogs(TENANT_B, shared);
        writeLogs(
                TENANT_A,
                List.of(log(T0.minusSeconds(50), "only in a needle")
                        .resource(service("secret-a"))
                        .build()));

        sharedTrace = newTraceId();
        Span root = span(sharedTrace, null, "api", "GET /", T0.minusSeconds(5), Duration.ofMillis(10))
                .build();
        sharedSpans = List.of(
                root,
                span(sharedTrace, root.spanId(), "api", "db", T0.minusSeconds(5), Duration.ofMillis(2))
                        .build());
        writeSpans(TENANT_A, sharedSpans);
        writeSpans(TENANT_B, sharedSpans);
        onlyA = newTraceId();
        writeSpans(
                TENANT_A,
                List.of(span(onlyA, null, "secret-a", "private op", T0.minusSeconds(7), Duration.ofMillis(10))
                        .build()));
    }

    @Test
    void logQueriesSeeOnlyTheirTenant() {
        fixture();
        assertThat(searchAllPages(TENANT_A, LogFilter.of(lastHour()), 7)).hasSize(31);
        assertThat(searchAllPages(TENANT_B, LogFilter.of(lastHour()), 7)).containsExactlyElementsOf(shared);
        assertThat(search(TENANT_B, LogFilter.builder(lastHour()).term("only"))).isEmpty();
        assertThat(search(TENANT_B, LogFilter.builder(lastHour()).resource("service.name", "secret-a")))
                .isEmpty();
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).resource("service.name", "secret-a")))
                .hasSize(1);

        assertThat(storage.logReader()
                        .histogram(TENANT_B, new LogHistogramQuery(LogFilter.of(lastHour()), Duration.ofMinutes(1)))
                        .total())
                .isEqualTo(30);
        assertThat(storage.logReader()
                        .histogram(TENANT_A, new LogHistogramQuery(LogFilter.of(lastHour()), Duration.ofMinutes(1)))
                        .total())
                .isEqualTo(31);
        assertThat(storage.logReader()
                        .topValues(
                                TENANT_B,
                                new TopValuesQuery(LogFilter.of(lastHour()), FieldRef.resource("service.name"), 10)))
                .containsExactly(new ValueCount("checkout", 30));
    }

    @Test
    void traceQueriesSeeOnlyTheirTenant() {
        fixture();
        assertThat(storage.spanReader().getTrace(TENANT_B, onlyA)).isEmpty();
        assertThat(storage.spanReader().getTrace(TENANT_A, onlyA)).hasSize(1);
        assertThat(storage.spanReader().getTrace(TENANT_B, sharedTrace)).containsExactlyElementsOf(sharedSpans);
        assertThat(storage.spanReader()
                        .searchSpans(TENANT_B, SpanQuery.builder(lastHour()).build()))
                .hasSize(2);
        assertThat(storage.spanReader()
                        .searchSpans(
                                TENANT_B,
                                SpanQuery.builder(lastHour())
                                        .service("secret-a")
                                        .build()))
                .isEmpty();
        assertThat(storage.spanReader().services(TENANT_B, lastHour())).containsExactly("api");
        assertThat(storage.spanReader().services(TENANT_A, lastHour())).containsExactly("api", "secret-a");
        assertThat(storage.spanReader().operations(TENANT_B, "secret-a", lastHour()))
                .isEmpty();
        assertThat(storage.spanReader().serviceRed(TENANT_B, lastHour()))
                .extracting(r -> r.service())
                .containsExactly("api");
        assertThat(storage.spanReader().operationRed(TENANT_B, "secret-a", lastHour()))
                .isEmpty();
    }

    @Test
    void aTenantWithNoDataSeesNothing() {
        fixture();
        var other = dev.nightjar.core.TenantId.parse("00000000-0000-4000-8000-0000000000cc");
        assertThat(search(other, LogFilter.of(lastHour()))).isEmpty();
        assertThat(storage.spanReader().getTrace(other, sharedTrace)).isEmpty();
        assertThat(storage.spanReader().services(other, lastHour())).isEmpty();
    }

    @Test
    void retentionOfOneTenantLeavesTheOtherAlone() {
        fixture();
        writeLogs(TENANT_B, List.of(log(T0.minus(Duration.ofDays(20)), "old b").build()));
        writeLogs(TENANT_A, List.of(log(T0.minus(Duration.ofDays(20)), "old a").build()));
        storage.applyRetention(TENANT_A, Duration.ofDays(7), T0);
        storage.flush();
        LogFilter month = LogFilter.of(around(Duration.ofDays(30), Duration.ofMinutes(1)));
        assertThat(bodies(search(TENANT_A, month))).doesNotContain("old a").hasSize(31);
        assertThat(bodies(search(TENANT_B, month))).contains("old b").hasSize(31);
    }
}
