package dev.nightjar.webapp.traces;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type and read them: {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 800us}. */
final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,6})?)\\s*(ns|us|µs|ms|s|m|h)?");

    private DurationText() {}

    /** Parses a duration; a bare number is milliseconds. Blank is null (no bound). */
    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a duration such as 250ms, 1.5s or 2m");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        long nanosPerUnit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        return Duration.ofNanos(
                amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
    }

    /** A short human form: 850µs, 12.3ms, 1.25s, 2m 5s. */
    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return trim(nanos / 1e3) + "µs";
        }
        if (nanos < 1_000_000_000) {
            return trim(nanos / 1e6) + "ms";
        }
        if (nanos < 60_000_000_000L) {
            return trim(nanos / 1e9) + "s";
        }
        return d.toMinutes() + "m " + d.toSecondsPart() + "s";
    }

    private static String trim(double v) {
        String s = v >= 100
                ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
