package dev.nightjar.api.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;

class PrometheusParamsTest {

    @Test
    void parsesUnixSecondsAndRfc3339() {
        assertThat(PrometheusParams.parseTime("time", "1435781451.781")).isEqualTo(1_435_781_451_781L);
        assertThat(PrometheusParams.parseTime("time", "1435781451")).isEqualTo(1_435_781_451_000L);
        assertThat(PrometheusParams.parseTime("time", "1e3")).isEqualTo(1_000_000L);
        assertThat(PrometheusParams.parseTime("time", "-1.5")).isEqualTo(-1_500L);
        assertThat(PrometheusParams.parseTime("time", "2015-07-01T20:10:51.781Z"))
                .isEqualTo(1_435_781_451_781L);
        assertThat(PrometheusParams.parseTime("time", "2015-07-01T22:10:51+02:00"))
                .isEqualTo(1_435_781_451_000L);
    }

    @Test
    void refusesTimesThatAreNeither() {
        for (String bad : new String[] {"yesterday", "", "2015-07-01", "1e400", "NaN", "\u0000"}) {
            assertThatThrownBy(() -> PrometheusParams.parseTime("start", bad))
                    .isInstanceOf(PrometheusApiException.class)
                    .hasMessageStartingWith("invalid parameter \"start\": cannot parse");
        }
    }

    @Test
    void parsesDurationsAsFloatSecondsOrLiterals() {
        assertThat(PrometheusParams.parseDuration("step", "15")).isEqualTo(15_000);
        assertThat(PrometheusParams.parseDuration("step", "0.5")).isEqualTo(500);
        assertThat(PrometheusParams.parseDuration("step", "15s")).isEqualTo(15_000);
        assertThat(PrometheusParams.parseDuration("step", "1m")).isEqualTo(60_000);
        assertThat(PrometheusParams.parseDuration("step", "1h30m")).isEqualTo(5_400_000);
        assertThat(PrometheusParams.parseDuration("step", "250ms")).isEqualTo(250);
        assertThat(PrometheusParams.parseDuration("step", "1w")).isEqualTo(7L * 86_400_000);
    }

    @Test
    void refusesBadDurations() {
        for (String bad : new String[] {"fast", "1x", "m", "30m1h", "1s1s", "9".repeat(40) + "y", ""}) {
            assertThatThrownBy(() -> PrometheusParams.parseDuration("step", bad))
                    .isInstanceOf(PrometheusApiException.class)
                    .hasMessageStartingWith("invalid parameter \"step\": cannot parse");
        }
        assertThatThrownBy(() -> PrometheusParams.parseDuration("step", "1e30"))
                .hasMessageContaining("overflows int64");
    }

    @Test
    void mergesFormAndQueryParameters() {
        MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>();
        query.add("match[]", "up");
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.add("match[]", "down");
        form.add("query", "rate(x[5m])");

        PrometheusParams params = PrometheusParams.of(query, form);

        assertThat(params.all("match[]")).containsExactly("down", "up");
        assertThat(params.get("query")).isEqualTo("rate(x[5m])");
        assertThat(params.time("time", 42)).isEqualTo(42);
    }

    @Test
    void echoesUserTextInertAndBounded() {
        assertThat(PrometheusParams.inert("a\nb\u0007")).isEqualTo("a?b?");
        assertThat(PrometheusParams.inert("x".repeat(500))).hasSize(129);
    }
}
