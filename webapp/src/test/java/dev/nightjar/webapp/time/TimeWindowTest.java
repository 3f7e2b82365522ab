package dev.nightjar.webapp.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.router.QueryParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void resolvesRelativeAndAbsoluteEnds() {
        var range = new TimeWindow("now-15m", "now").resolve(NOW);
        assertThat(range.start()).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
        assertThat(range.end()).isEqualTo(NOW);
        assertThat(new TimeWindow("now-2w", "now-1d").resolve(NOW).duration()).isEqualTo(Duration.ofDays(13));
        var absolute = TimeWindow.absolute(NOW.minusSeconds(60), NOW);
        assertThat(absolute.resolve(Instant.EPOCH).duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(absolute.relative()).isFalse();
    }

    @Test
    void roundTripsThroughTheUrl() {
        TimeWindow window = new TimeWindow("now-6h", "now");
        assertThat(TimeWindow.fromQuery(window.toQuery())).isEqualTo(window);
        assertThat(window.toQuery().getQueryString()).contains("from=now-6h");
    }

    @Test
    void hostileOrBrokenUrlsFallBackToTheDefault() {
        for (String bad : new String[] {
            "<script>alert(1)</script>", "now-99999999h", "now+1h", "'; drop table x; --", "x".repeat(500), ""
        }) {
            assertThat(TimeWindow.fromQuery(QueryParameters.simple(Map.of("from", bad, "to", "now"))))
                    .as(bad)
                    .isEqualTo(TimeWindow.DEFAULT);
        }
        assertThat(TimeWindow.fromQuery(QueryParameters.simple(Map.of("from", "now", "to", "now-1h"))))
                .as("reversed")
                .isEqualTo(TimeWindow.DEFAULT);
        assertThat(TimeWindow.fromQuery(QueryParameters.simple(Map.of("from", "now-365d", "to", "now"))))
                .as("longer than the maximum span")
                .isEqualTo(TimeWindow.DEFAULT);
        assertThatThrownBy(() -> new TimeWindow("yesterday", "now")).isInstanceOf(IllegalArgumentException.class);
    }
}
