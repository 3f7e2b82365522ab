package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rate, errors and duration percentiles per service and per operation, on data with known answers. */
public abstract class RedConformance extends StorageConformance {

    private static final TimeRange HOUR = range(T0.minus(Duration.ofHours(1)), T0);

    /**
     * api: 100 SERVER spans of 1..100 ms (60 "GET /a", 40 "POST /b"), every 10th an error, each with an
     * INTERNAL child and a CLIENT child that RED must not count. worker: 20 CONSUMER spans of 5 ms and 5
     * root INTERNAL spans of 7 ms. One api span outside the hour.
     */
    private List<Span> fixture() {
        List<Span> spans = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            TraceId t = newTraceId();
            Instant start = T0.minusSeconds(3000).plusSeconds(i * 29L);
            Span server = span(t, null, "api", i <= 60 ? "GET /a" : "POST /b", start, Duration.ofMillis(i))
                    .kind(SpanKind.SERVER)
                    .status(i % 10 == 0 ? SpanStatus.error("500") : SpanStatus.UNSET)
                    .build();
            spans.add(server);
            spans.add(span(t, server.spanId(), "api", "internal", start, Duration.ofMillis(500))
                    .status(SpanStatus.error("not counted"))
                    .build());
            spans.add(span(t, server.spanId(), "api", "GET downstream", start, Duration.ofSeconds(2))
                    .kind(SpanKind.CLIENT)
                    .build());
        }
        for (int i = 0; i < 20; i++) {
            spans.add(
                    span(newTraceId(), newSpanId(), "worker", "consume", T0.minusSeconds(100 + i), Duration.ofMillis(5))
                            .kind(SpanKind.CONSUMER)
                            .build());
        }
        for (int i = 0; i < 5; i++) {
            spans.add(span(newTraceId(), null, "worker", "cron", T0.minusSeconds(200 + i), Duration.ofMillis(7))
                    .kind(SpanKind.INTERNAL)
                    .build());
        }
        spans.add(span(newTraceId(), null, "api", "GET /a", T0.minus(Duration.ofHours(2)), Duration.ofSeconds(9))
                .build());
        spans.add(span(newTraceId(), null, "api", "GET /a", T0, Duration.ofSeconds(9))
                .build());
        return spans;
    }

    @Test
    void serviceRedOnKnownData() {
        writeSpans(TENANT_A, fixture());
        List<RedStats> red = storage.spanReader().serviceRed(TENANT_A, HOUR);
        assertThat(red).extracting(RedStats::service).containsExactly("api", "worker");

        RedStats api = red.get(0);
        assertThat(api.operation()).isNull();
        assertThat(api.requests()).isEqualTo(100);
        assertThat(api.errors()).isEqualTo(10);
        assertThat(api.ratePerSecond()).isCloseTo(100 / 3600.0, within(1e-9));
        assertThat(api.errorRatio()).isCloseTo(0.1, within(1e-9));
        assertThat(api.p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(api.p95()).isEqualTo(Duration.ofMillis(95));
        assertThat(api.p99()).isEqualTo(Duration.ofMillis(99));

        RedStats worker = red.get(1);
        assertThat(worker.requests()).isEqualTo(25);
        assertThat(worker.errors()).isZero();
        assertThat(worker.errorRatio()).isZero();
        assertThat(worker.p50()).isEqualTo(Duration.ofMillis(5));
        assertThat(worker.p95()).isEqualTo(Duration.ofMillis(7));
        assertThat(worker.p99()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void operationRedOnKnownData() {
        writeSpans(TENANT_A, fixture());
        List<RedStats> ops = storage.spanReader().operationRed(TENANT_A, "api", HOUR);
        assertThat(ops).extracting(RedStats::operation).containsExactly("GET /a", "POST /b");
        RedStats get = ops.get(0);
        assertThat(get.service()).isEqualTo("api");
        assertThat(get.requests()).isEqualTo(60);
        assertThat(get.errors()).isEqualTo(6);
        assertThat(get.p50()).isEqualTo(Duration.ofMillis(30));
        assertThat(get.p99()).isEqualTo(Duration.ofMillis(60));
        RedStats post = ops.get(1);
        assertThat(post.requests()).isEqualTo(40);
        assertThat(post.errors()).isEqualTo(4);
        assertThat(post.p50()).isEqualTo(Duration.ofMillis(80));
        assertThat(post.p95()).isEqualTo(Duration.ofMillis(98));
        assertThat(post.ratePerSecond()).isCloseTo(40 / 3600.0, within(1e-9));

        assertThat(storage.spanReader().operationRed(TENANT_A, "worker", HOUR))
                .extracting(RedStats::operation, RedStats::requests)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("consume", 20L),
                        org.assertj.core.groups.Tuple.tuple("cron", 5L));
    }

    @Test
    void redOfAnEmptyRangeOrUnknownServiceIsEmpty() {
        writeSpans(TENANT_A, fixture());
        assertThat(storage.spanReader()
                        .serviceRed(TENANT_A, range(T0.minus(Duration.ofDays(2)), T0.minus(Duration.ofDays(1)))))
                .isEmpty();
        assertThat(storage.spanReader().operationRed(TENANT_A, "nope", HOUR)).isEmpty();
    }

    @Test
    void redCountsOnlyTheRange() {
        writeSpans(TENANT_A, fixture());
        // the last 10 minutes: api span i starts at T0-3000s+29i s, so i = 83..100 (18 spans) are inside
        List<RedStats> red = storage.spanReader().serviceRed(TENANT_A, range(T0.minusSeconds(600), T0));
        RedStats api = red.getFirst();
        assertThat(api.requests()).isEqualTo(18);
        assertThat(api.errors()).isEqualTo(2);
        assertThat(api.ratePerSecond()).isCloseTo(18 / 600.0, within(1e-9));
        assertThat(api.p50()).isEqualTo(Duration.ofMillis(91));
    }
}
