package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.RetentionPolicy;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention removes data older than {@code now - retention}: everything at or after the cutoff stays,
 * everything before {@code cutoff - retentionGranularity()} goes.
 */
public abstract class RetentionConformance extends StorageConformance {

    private static final LogFilter MONTH = LogFilter.of(around(Duration.ofDays(30), Duration.ofHours(1)));

    private void writeAges(String prefix, Duration... ages) {
        List<LogRecord> logs = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        for (Duration age : ages) {
            Instant t = T0.minus(age);
            logs.add(log(t, prefix + age.toHours() + "h").build());
            TraceId trace = newTraceId();
            spans.add(span(trace, null, "svc", prefix + age.toHours() + "h", t, Duration.ofMillis(1))
                    .build());
        }
        writeLogs(TENANT_A, logs);
        writeSpans(TENANT_A, spans);
    }

    private List<String> spanNames() {
        return storage
                .spanReader()
                .searchSpans(
                        TENANT_A,
                        SpanQuery.builder(around(Duration.ofDays(30), Duration.ofHours(1)))
                                .limit(1000)
                                .build())
                .stream()
                .map(Span::name)
                .toList();
    }

    @Test
    void oldDataGoesAndRecentDataStays() {
        Duration granularity = storage.retentionGranularity();
        assertThat(granularity).isLessThanOrEqualTo(Duration.ofDays(1));
        Duration retention = Duration.ofDays(7);
        Duration gone = retention.plus(granularity).plusHours(1);
        writeAges(
                "age ",
                Duration.ofDays(20),
                gone,
                retention.minusMinutes(1),
                Duration.ofHours(1),
                Duration.ZERO.plusMinutes(1));

        storage.applyRetention(TENANT_A, retention, T0);
        storage.flush();

        long goneH = gone.toHours();
        assertThat(bodies(search(TENANT_A, MONTH)))
                .containsExactly("age 0h", "age 1h", "age 167h")
                .doesNotContain("age 480h", "age " + goneH + "h");
        assertThat(spanNames()).containsExactly("age 0h", "age 1h", "age 167h");
    }

    @Test
    void tracesLoseOnlyExpiredSpans() {
        writeAges("x", Duration.ofDays(12), Duration.ofHours(2));
        storage.applyRetention(TENANT_A, Duration.ofDays(7), T0);
        storage.flush();
        assertThat(spanNames()).containsExactly("x2h");
    }

    @Test
    void writesAfterRetentionStillWork() {
        writeAges("first ", Duration.ofDays(10), Duration.ofHours(1));
        storage.applyRetention(TENANT_A, Duration.ofDays(7), T0);
        writeAges("second ", Duration.ofDays(10), Duration.ofHours(2));
        storage.flush();
        assertThat(bodies(search(TENANT_A, MONTH))).containsExactly("first 1h", "second 2h", "second 240h");
        storage.applyRetention(TENANT_A, Duration.ofDays(7), T0);
        storage.flush();
        assertThat(bodies(search(TENANT_A, MONTH))).containsExactly("first 1h", "second 2h");
    }

    @Test
    void policyAppliesPerTenantOverrides() {
        writeLogs(TENANT_A, List.of(log(T0.minus(Duration.ofDays(5)), "a 5d").build()));
        writeLogs(TENANT_B, List.of(log(T0.minus(Duration.ofDays(5)), "b 5d").build()));
        RetentionPolicy policy =
                new RetentionPolicy(RetentionPolicy.DEFAULT_RETENTION, Map.of(TENANT_A, Duration.ofDays(2)));
        assertThat(policy.retentionFor(TENANT_B)).isEqualTo(Duration.ofDays(7));
        storage.applyRetention(policy, T0);
        storage.flush();
        assertThat(search(TENANT_A, MONTH)).isEmpty();
        assertThat(bodies(search(TENANT_B, MONTH))).containsExactly("b 5d");
    }

    @Test
    void retentionOfAnEmptyTenantIsHarmless() {
        assertThat(storage.applyRetention(TENANT_B, Duration.ofDays(7), T0).unitsDeleted())
                .isZero();
        assertThat(storage.applyRetention(RetentionPolicy.DEFAULT, T0))
                .allSatisfy(r -> assertThat(r.unitsDeleted()).isZero());
    }

    @Test
    void retentionIsValidated() {
        assertThatThrownBy(() -> storage.applyRetention(TENANT_A, Duration.ofMinutes(5), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.applyRetention(null, Duration.ofDays(7), T0))
                .isInstanceOf(NullPointerException.class);
    }
}
