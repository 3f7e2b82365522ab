package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogram;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Histograms by time bucket and severity; top values of a field. */
public abstract class LogAggregationConformance extends StorageConformance {

    private static final Instant START = T0.minusSeconds(600); // 11:50:00

    /** Per minute m (0..9): m+1 INFO records, and an ERROR record in even minutes; "checkout" and "cart". */
    private List<LogRecord> tenMinutes() {
        List<LogRecord> records = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            for (int i = 0; i <= m; i++) {
                records.add(log(START.plusSeconds(m * 60L + i), "info " + m + " " + i)
                        .resource(service(i % 2 == 0 ? "checkout" : "cart"))
                        .build());
            }
            if (m % 2 == 0) {
                records.add(log(START.plusSeconds(m * 60L + 59), "error " + m)
                        .severity(SeverityLevel.ERROR)
                        .resource(service("checkout"))
                        .build());
            }
        }
        records.add(log(START.minusNanos(1), "before").build());
        records.add(log(T0, "at end").build());
        return records;
    }

    @Test
    void histogramCountsPerBucketAndSeverity() {
        writeLogs(TENANT_A, tenMinutes());
        LogHistogram h = storage.logReader()
                .histogram(TENANT_A, new LogHistogramQuery(LogFilter.of(range(START, T0)), Duration.ofMinutes(1)));
        assertThat(h.bucketWidth()).isEqualTo(Duration.ofMinutes(1));
        assertThat(h.buckets()).hasSize(10);
        for (int m = 0; m < 10; m++) {
            LogHistogram.Bucket b = h.buckets().get(m);
            assertThat(b.start()).isEqualTo(START.plusSeconds(m * 60L));
            assertThat(b.count(SeverityLevel.INFO)).as("INFO in minute %d", m).isEqualTo(m + 1);
            assertThat(b.count(SeverityLevel.ERROR)).as("ERROR in minute %d", m).isEqualTo(m % 2 == 0 ? 1 : 0);
            assertThat(b.count(SeverityLevel.WARN)).isZero();
        }
        assertThat(h.total()).isEqualTo(55 + 5);
    }

    @Test
    void histogramAppliesFilters() {
        writeLogs(TENANT_A, tenMinutes());
        LogFilter errorsOfCheckout = LogFilter.builder(range(START, T0))
                .resource("service.name", "checkout")
                .term("error")
                .build();
        LogHistogram h =
                storage.logReader().histogram(TENANT_A, new LogHistogramQuery(errorsOfCheckout, Duration.ofMinutes(5)));
        assertThat(h.buckets()).hasSize(2);
        assertThat(h.buckets().get(0).count(SeverityLevel.ERROR)).isEqualTo(3);
        assertThat(h.buckets().get(1).count(SeverityLevel.ERROR)).isEqualTo(2);
        assertThat(h.total()).isEqualTo(5);
    }

    @Test
    void histogramBucketsAlignToTheEpochAndCoverTheRange() {
        writeLogs(TENANT_A, tenMinutes());
        // 11:50:30 .. 11:52:30 with 1-minute buckets: 11:50, 11:51, 11:52, counting only inside the range
        LogHistogram h = storage.logReader()
                .histogram(
                        TENANT_A,
                        new LogHistogramQuery(
                                LogFilter.of(range(START.plusSeconds(30), START.plusSeconds(150))),
                                Duration.ofMinutes(1)));
        assertThat(h.buckets())
                .extracting(LogHistogram.Bucket::start)
                .containsExactly(START, START.plusSeconds(60), START.plusSeconds(120));
        assertThat(h.buckets().get(0).total()).isEqualTo(1); // only the 11:50:59 error is after 11:50:30
        assertThat(h.buckets().get(1).total()).isEqualTo(2);
        assertThat(h.buckets().get(2).total()).isEqualTo(3); // 11:52:00..02 (error at :59 is outside)
    }

    @Test
    void histogramOfNothingHasEmptyBuckets() {
        LogHistogram h = storage.logReader()
                .histogram(TENANT_A, new LogHistogramQuery(LogFilter.of(range(START, T0)), Duration.ofMinutes(2)));
        assertThat(h.buckets())
                .hasSize(5)
                .allSatisfy(b -> assertThat(b.counts()).isEmpty());
        assertThat(h.total()).isZero();
    }

    @Test
    void histogramLimitsAreChecked() {
        assertThatThrownBy(() -> new LogHistogramQuery(LogFilter.of(lastHour()), Duration.ofNanos(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogHistogramQuery(LogFilter.of(lastHour()), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buckets");
    }

    @Test
    void topValuesOfIdsAreRefused() {
        assertThatThrownBy(
                        () -> new TopValuesQuery(LogFilter.of(lastHour()), FieldRef.intrinsic(FieldRef.TRACE_ID), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopValuesQuery(LogFilter.of(lastHour()), FieldRef.resource("service.name"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topValuesByCountThenValue() {
        writeLogs(TENANT_A, tenMinutes());
        List<ValueCount> top = storage.logReader()
                .topValues(
                        TENANT_A,
                        new TopValuesQuery(LogFilter.of(range(START, T0)), FieldRef.resource("service.name"), 10));
        assertThat(top).containsExactly(new ValueCount("checkout", 35), new ValueCount("cart", 25));

        List<ValueCount> severities = storage.logReader()
                .topValues(
                        TENANT_A,
                        new TopValuesQuery(
                                LogFilter.of(range(START, T0)), FieldRef.intrinsic(FieldRef.SEVERITY_TEXT), 10));
        assertThat(severities).containsExactly(new ValueCount("INFO", 55), new ValueCount("ERROR", 5));
    }

    @Test
    void topValuesHonourFilterLimitAndTies() {
        List<LogRecord> records = new ArrayList<>();
        String[] pods = {"pod-c", "pod-a", "pod-b", "pod-a", "pod-d", "pod-b", "pod-e"};
        for (int i = 0; i < pods.length; i++) {
            records.add(log(T0.minusSeconds(i + 1), "r" + i)
                    .resource(service("shop", "k8s.pod.name", pods[i]))
                    .attributes(Attributes.of("http.status_code", i < 4 ? 200L : 503L))
                    .build());
        }
        records.add(log(T0.minusSeconds(20), "no pod").build());
        writeLogs(TENANT_A, records);
        FieldRef pod = FieldRef.resource("k8s.pod.name");
        assertThat(storage.logReader().topValues(TENANT_A, new TopValuesQuery(LogFilter.of(lastHour()), pod, 3)))
                .containsExactly(new ValueCount("pod-a", 2), new ValueCount("pod-b", 2), new ValueCount("pod-c", 1));
        LogFilter errors = LogFilter.builder(lastHour())
                .attribute("http.status_code", "503")
                .build();
        assertThat(storage.logReader().topValues(TENANT_A, new TopValuesQuery(errors, pod, 10)))
                .containsExactly(new ValueCount("pod-b", 1), new ValueCount("pod-d", 1), new ValueCount("pod-e", 1));
        assertThat(storage.logReader()
                        .topValues(
                                TENANT_A,
                                new TopValuesQuery(
                                        LogFilter.of(lastHour()), FieldRef.attribute("http.status_code"), 10)))
                .containsExactly(new ValueCount("200", 4), new ValueCount("503", 3));
        assertThat(storage.logReader()
                        .topValues(
                                TENANT_A,
                                new TopValuesQuery(LogFilter.of(lastHour()), FieldRef.attribute("absent"), 10)))
                .isEmpty();
    }

    @Test
    void topValuesCountArrayElementsOncePerRecord() {
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "a")
                                .attributes(Attributes.of(
                                        "tags",
                                        AttributeValue.ofArray(List.of(
                                                AttributeValue.of("x"),
                                                AttributeValue.of("y"),
                                                AttributeValue.of("x")))))
                                .build(),
                        log(T0.minusSeconds(2), "b")
                                .attributes(
                                        Attributes.of("tags", AttributeValue.ofArray(List.of(AttributeValue.of("x")))))
                                .build()));
        assertThat(storage.logReader()
                        .topValues(
                                TENANT_A, new TopValuesQuery(LogFilter.of(lastHour()), FieldRef.attribute("tags"), 10)))
                .containsExactly(new ValueCount("x", 2), new ValueCount("y", 1));
    }

    @Test
    void topValuesOfUnicodeValues() {
        writeLogs(
                TENANT_A,
                List.of(
                        log(T0.minusSeconds(1), "a").resource(service("東京")).build(),
                        log(T0.minusSeconds(2), "b").resource(service("東京")).build(),
                        log(T0.minusSeconds(3), "c").resource(service("🐼")).build()));
        assertThat(storage.logReader()
                        .topValues(
                                TENANT_A,
                                new TopValuesQuery(LogFilter.of(lastHour()), FieldRef.resource("service.name"), 10)))
                .containsExactly(new ValueCount("東京", 2), new ValueCount("🐼", 1));
    }
}
