package dev.nightjar.api.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.SeverityLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void timesAreIsoOrEpochMillisAndDefaultToTheLastHour() {
        TimeRange r = QueryGuard.range("2026-01-01T00:00:00Z", "1767229200000");
        assertThat(r.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(r.end()).isEqualTo(Instant.ofEpochMilli(1767229200000L));
        assertThat(QueryGuard.range(null, null).duration()).isEqualTo(Duration.ofHours(1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> QueryGuard.range("yesterday", null))
                .withMessageContaining("start must be an ISO-8601 instant or epoch milliseconds");
        assertThatIllegalArgumentException().isThrownBy(() -> QueryGuard.range("99999999999999999999999", null));
    }

    @Test
    void filtersAreParsedIntoTheTypedModelAndHostileOnesRefused() {
        LogFilter f = LogsResource.filter(
                "2026-01-01T00:00:00Z",
                "2026-01-01T01:00:00Z",
                List.of("payment declined"),
                List.of("resource.service.name=cart", "attribute.sql=' OR 1=1 --"),
                List.of("error", "WARN"));
        assertThat(f.filters()).hasSize(2);
        assertThat(f.filters().get(1).value()).isEqualTo("' OR 1=1 --");
        assertThat(f.severities()).containsExactlyInAnyOrder(SeverityLevel.ERROR, SeverityLevel.WARN);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogsResource.filter(null, null, List.of(), List.of(), List.of("LOUD")))
                .withMessageContaining("unknown severity");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogsResource.filter(null, null, List.of(), List.of("no-equals-sign"), List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogsResource.filter(
                        "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", List.of(), List.of(), List.of()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogsResource.filter(null, null, List.of("x".repeat(5000)), List.of(), List.of()));
    }
}
