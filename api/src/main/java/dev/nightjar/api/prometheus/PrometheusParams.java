package dev.nightjar.api.prometheus;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Request parameters as Prometheus reads them: URL query and form body merged, times as RFC 3339 or
 * unix seconds with a fraction, durations as float seconds or Prometheus duration literals.
 */
final class PrometheusParams {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
    };

    private final MultivaluedMap<String, String> values;

    private PrometheusParams(MultivaluedMap<String, String> values) {
        this.values = values;
    }

    /** Form values first, then URL query values, as Go's {@code Request.ParseForm} orders them. */
    static PrometheusParams of(MultivaluedMap<String, String> query, MultivaluedMap<String, String> form) {
        MultivaluedMap<String, String> merged = new MultivaluedHashMap<>();
        if (form != null) {
            form.forEach((k, v) -> merged.addAll(k, v));
        }
        if (query != null) {
            query.forEach((k, v) -> merged.addAll(k, v));
        }
        return new PrometheusParams(merged);
    }

    String get(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.getFirst();
    }

    List<String> all(String name) {
        List<String> list = values.get(name);
        return list == null ? List.of() : list;
    }

    /** A time parameter in epoch milliseconds, or {@code fallback} when absent or empty. */
    long time(String name, long fallback) {
        String text = get(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        return parseTime(name, text);
    }

    static long parseTime(String name, String text) {
        try {
            BigDecimal seconds = new BigDecimal(text.strip());
            // Prometheus rounds the fraction to milliseconds.
            return seconds.movePointRight(3)
                    .setScale(0, java.math.RoundingMode.HALF_EVEN)
                    .longValueExact();
        } catch (NumberFormatException | ArithmeticException notANumber) {
            // fall through to RFC 3339
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw PrometheusApiException.invalidParameter(
                    name, "cannot parse \"" + inert(text) + "\" to a valid timestamp");
        }
    }

    /** A duration parameter in milliseconds: {@code 15}, {@code 0.5}, {@code 15s}, {@code 1m30s}. */
    static long parseDuration(String name, String text) {
        String value = text == null ? "" : text.strip();
        try {
            BigDecimal seconds = new BigDecimal(value);
            return seconds.movePointRight(3)
                    .setScale(0, java.math.RoundingMode.DOWN)
                    .longValueExact();
        } catch (NumberFormatException notANumber) {
            // a duration literal
        } catch (ArithmeticException overflow) {
            throw PrometheusApiException.invalidParameter(
                    name, "cannot parse \"" + inert(value) + "\" to a valid duration. It overflows int64");
        }
        long millis = durationLiteral(value);
        if (millis < 0) {
            throw PrometheusApiException.invalidParameter(
                    name, "cannot parse \"" + inert(value) + "\" to a valid duration");
        }
        return millis;
    }

    /** Prometheus' duration literal ({@code 1h30m}, units descending, each once); -1 if not one. */
    private static long durationLiteral(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long total = 0;
        int i = 0;
        int lastUnit = -1;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i)) && i - start < 18) {
                i++;
            }
            if (start == i) {
                return -1;
            }
            long n = Long.parseLong(text.substring(start, i));
            int unit = -1;
            if (text.startsWith("ms", i)) {
                unit = 6;
                i += 2;
            } else if (i < text.length()) {
                for (int u = 0; u < 6; u++) {
                    if (text.charAt(i) == UNITS[u].charAt(0)) {
                        unit = u;
                    }
                }
                i++;
            }
            if (unit < 0 || unit <= lastUnit) {
                return -1;
            }
            lastUnit = unit;
            try {
                total = Math.addExact(total, Math.multiplyExact(n, UNIT_MILLIS[unit]));
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return total;
    }

    /** User text echoed in an error: bounded, control characters replaced. */
    static String inert(String text) {
        String shown = text.length() > 128 ? text.substring(0, 128) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
