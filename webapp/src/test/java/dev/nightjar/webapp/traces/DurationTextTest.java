package dev.nightjar.webapp.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void parsesCommonForms() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("800us")).isEqualTo(Duration.ofNanos(800_000));
        assertThat(DurationText.parse("40")).isEqualTo(Duration.ofMillis(40));
        assertThat(DurationText.parse(" ")).isNull();
    }

    @Test
    void refusesAnythingElse() {
        assertThatThrownBy(() -> DurationText.parse("-5ms")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DurationText.parse("1e9s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DurationText.parse("<b>1s</b>")).hasMessageContaining("not a duration");
    }

    @Test
    void formatsShortly() {
        assertThat(DurationText.format(Duration.ofNanos(850_000))).isEqualTo("850µs");
        assertThat(DurationText.format(Duration.ofNanos(12_340_000))).isEqualTo("12.3ms");
        assertThat(DurationText.format(Duration.ofMillis(1250))).isEqualTo("1.25s");
        assertThat(DurationText.format(Duration.ofSeconds(125))).isEqualTo("2m 5s");
    }
}
