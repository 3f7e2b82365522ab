package dev.nightjar.server.metrics;

import java.time.Duration;
import java.util.Locale;

/** Durations in configuration: {@code 2m}, {@code 15d}, {@code 30s}, {@code 500ms} or ISO-8601 ({@code PT2M}). */
final class ConfigDurations {
    private ConfigDurations() {}

    static Duration parse(String key, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long n = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + " must be a duration such as 30s, 2m, 15d or PT2M, got \"" + text + "\"", e);
        }
    }
}
