package dev.nightjar.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsAndMatchersTest {

    @Test
    void labelsAreSortedAndEmptyValuesDropped() {
        Labels labels = Labels.of("zone", "eu", "__name__", "up", "job", "api", "empty", "");

        assertThat(labels.asList())
                .containsExactly(new Label("__name__", "up"), new Label("job", "api"), new Label("zone", "eu"));
        assertThat(labels.metricName()).isEqualTo("up");
        assertThat(labels.get("empty")).isEmpty();
        assertThat(labels.toString()).isEqualTo("up{job=\"api\", zone=\"eu\"}");
        assertThat(labels).isEqualTo(Labels.from(Map.of("job", "api", "__name__", "up", "zone", "eu")));
        assertThat(labels.without(Set.of("zone")).withoutMetricName()).isEqualTo(Labels.of("job", "api"));
        assertThat(labels.keepOnly(Set.of("job"))).isEqualTo(Labels.of("job", "api"));
        assertThat(labels.with("job", "")).isEqualTo(Labels.of("__name__", "up", "zone", "eu"));
    }

    @Test
    void fromPairsSortsInPlaceAndKeepsTheRulesOfFrom() {
        String[] names = {"zone", "__name__", "job", "empty", "unused"};
        String[] values = {"eu", "up", "api", "", "beyond size"};

        assertThat(Labels.fromPairs(names, values, 4))
                .isEqualTo(Labels.of("zone", "eu", "__name__", "up", "job", "api"));
        assertThat(Labels.fromPairs(new String[0], new String[0], 0)).isEqualTo(Labels.EMPTY);
        assertThatThrownBy(() -> Labels.fromPairs(new String[] {"job", "a", "job"}, new String[] {"x", "1", "y"}, 3))
                .hasMessageContaining("duplicate label name");
        assertThatThrownBy(() -> Labels.fromPairs(new String[] {"job", "a-b"}, new String[] {"x", "1"}, 2))
                .hasMessageContaining("invalid label name");
        // Like from(): a duplicate is refused even when one of its values is empty.
        assertThatThrownBy(() -> Labels.fromPairs(new String[] {"job", "job"}, new String[] {"", "y"}, 2))
                .hasMessageContaining("duplicate label name");
    }

    @Test
    void labelNamesAreValidated() {
        assertThatThrownBy(() -> Labels.of("1abc", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("a-b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("odd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Labels.isValidMetricName("job:rate5m")).isTrue();
        assertThat(Labels.isValidLabelName("job:rate5m")).isFalse();
    }

    @Test
    void regexMatchersAreAnchoredAndTreatMissingAsEmpty() {
        Labels labels = Labels.of("__name__", "up", "job", "api-server");

        assertThat(Matcher.regex("job", "api").matches(labels)).isFalse();
        assertThat(Matcher.regex("job", "api.*").matches(labels)).isTrue();
        assertThat(Matcher.regex("job", "server").matches(labels)).isFalse();
        assertThat(Matcher.notRegex("job", "api").matches(labels)).isTrue();
        assertThat(Matcher.equal("zone", "").matches(labels)).isTrue();
        assertThat(Matcher.regex("zone", ".+").matches(labels)).isFalse();
        assertThat(Matcher.regex("job", "a.*").matchesEmpty()).isFalse();
        assertThat(Matcher.regex("job", ".*").matchesEmpty()).isTrue();
        assertThat(Matcher.regex("job", "a.b").matches("a\nb")).isTrue();
    }

    @Test
    void hostileRegexesAreRefused() {
        assertThatThrownBy(() -> Matcher.regex("job", "([a-z]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Matcher.regex("job", "a".repeat(Matcher.MAX_REGEX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void staleMarkerIsToldApartFromOrdinaryNaN() {
        assertThat(StaleMarker.isStale(StaleMarker.VALUE)).isTrue();
        assertThat(StaleMarker.isStale(Double.NaN)).isFalse();
        assertThat(Double.isNaN(StaleMarker.VALUE)).isTrue();
        assertThat(Double.doubleToRawLongBits(StaleMarker.VALUE)).isEqualTo(0x7ff0000000000002L);
    }
}
