package dev.nightjar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

    @Test
    void isHalfOpen() {
        TimeRange range = TimeRange.last(Duration.ofMinutes(5), T0);
        assertThat(range.contains(T0.minusSeconds(300))).isTrue();
        assertThat(range.contains(T0)).isFalse();
        assertThat(range.duration()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void rejectsReversedRange() {
        assertThatThrownBy(() -> new TimeRange(T0, T0.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before its start");
    }

    @Test
    void tenantIdParsesOnlyUuids() {
        UUID id = UUID.randomUUID();
        assertThat(TenantId.parse(id.toString()).value()).isEqualTo(id);
        assertThatThrownBy(() -> TenantId.parse("' OR 1=1 --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TenantId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
