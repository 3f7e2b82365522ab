package dev.nightjar.webapp.overview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class OverviewDataTest {
    private static final Instant END = Instant.parse("2026-11-22T12:00:00Z");
    private static final TimeRange HOUR = new TimeRange(END.minus(Duration.ofHours(1)), END);

    @Test
    void reportsServicesWithHealthAndAnErrorSpikeInTheLastBucket() throws Exception {
        TenantId tenant = TenantId.of(UUID.randomUUID());
        TenantId other = TenantId.of(UUID.randomUUID());
        try (InMemoryStorage storage = new InMemoryStorage()) {
            List<Span> spans = new ArrayList<>();
            for (int minute = 0; minute < 60; minute++) {
                Instant at = HOUR.start().plus(Duration.ofMinutes(minute)).plusSeconds(1);
                spans.add(span("checkout", at, minute >= 56));
                spans.add(span("cart", at, false));
            }
            storage.spanWriter().write(tenant, spans);
            storage.spanWriter()
                    .write(other, List.of(span("intruder", HOUR.start().plusSeconds(5), true)));
            storage.flush();

            OverviewData.Snapshot snapshot = OverviewData.load(tenant, HOUR, storage.spanReader(), null, null);

            assertThat(snapshot.services()).extracting(s -> s.red().service()).containsExactly("cart", "checkout");
            ServiceHealth checkout = snapshot.services().get(1);
            assertThat(checkout.level()).isEqualTo(ServiceHealth.Level.CRITICAL);
            assertThat(checkout.ratePerBucket()).hasSize(OverviewData.BUCKETS);
            assertThat(snapshot.services().get(0).level()).isEqualTo(ServiceHealth.Level.OK);
            assertThat(snapshot.problems()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(Problem.Kind.ERROR_SPIKE);
                assertThat(p.subject()).isEqualTo("checkout");
            });
        }
    }

    @Test
    void anEmptyTenantHasAnEmptyOverview() throws Exception {
        try (InMemoryStorage storage = new InMemoryStorage()) {
            assertThat(OverviewData.load(TenantId.of(UUID.randomUUID()), HOUR, storage.spanReader(), null, null)
                            .empty())
                    .isTrue();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1;
        return bytes;
    }

    private static Span span(String service, Instant start, boolean error) {
        long startNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        return Span.builder()
                .traceId(TraceId.fromBytes(randomBytes(16)))
                .spanId(SpanId.fromBytes(randomBytes(8)))
                .name("GET /")
                .kind(SpanKind.SERVER)
                .startTimeUnixNano(startNanos)
                .endTimeUnixNano(startNanos + 5_000_000)
                .status(error ? SpanStatus.error("boom") : SpanStatus.UNSET)
                .attributes(Attributes.EMPTY)
                .resource(Resource.of("service.name", service))
                .build();
    }
}
