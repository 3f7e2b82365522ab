package dev.nightjar.webapp.time;

import com.vaadin.flow.router.QueryParameters;
import dev.nightjar.core.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time window every page shows, as it appears in the URL ({@code ?from=now-1h&to=now}), so any
 * view can be linked. Each end is {@code now}, {@code now-<n><unit>} (s, m, h, d, w) or an ISO-8601
 * instant. Anything else in the URL falls back to the default rather than failing the page.
 */
public record TimeWindow(String from, String to) {
    public static final String FROM = "from";
    public static final String TO = "to";
    // Declared before DEFAULT: the constructor below needs them during class initialisation.
    private static final int MAX_LENGTH = 40;
    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d{1,6})([smhdw]))?");
    static final Duration MAX_SPAN = Duration.ofDays(90);
    public static final TimeWindow DEFAULT = new TimeWindow("now-1h", "now");

    public TimeWindow {
        if (parseEnd(from, Instant.EPOCH).isEmpty()
                || parseEnd(to, Instant.EPOCH).isEmpty()) {
            throw new IllegalArgumentException("a time window end is now, now-<n><s|m|h|d|w> or an ISO-8601 instant");
        }
    }

    /** Reads the window from URL parameters; missing or invalid values give {@link #DEFAULT}. */
    public static TimeWindow fromQuery(QueryParameters query) {
        Map<String, List<String>> params = query.getParameters();
        String from = first(params, FROM).orElse(DEFAULT.from);
        String to = first(params, TO).orElse(DEFAULT.to);
        try {
            TimeWindow window = new TimeWindow(from, to);
            TimeRange range = window.resolve(Instant.now());
            return range.duration().compareTo(MAX_SPAN) > 0 ? DEFAULT : window;
        } catch (IllegalArgumentException invalid) {
            return DEFAULT;
        }
    }

    public static TimeWindow absolute(Instant from, Instant to) {
        return new TimeWindow(from.toString(), to.toString());
    }

    public QueryParameters toQuery() {
        return QueryParameters.simple(Map.of(FROM, from, TO, to));
    }

    /** The concrete range at {@code now}; throws if the end is before the start. */
    public TimeRange resolve(Instant now) {
        return new TimeRange(
                parseEnd(from, now).orElseThrow(), parseEnd(to, now).orElseThrow());
    }

    public boolean relative() {
        return from.startsWith("now") && to.startsWith("now");
    }

    static Optional<Instant> parseEnd(String value, Instant now) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            if (relative.group(1) == null) {
                return Optional.of(now);
            }
            long amount = Long.parseLong(relative.group(1));
            Duration unit = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return Optional.of(now.minus(unit.multipliedBy(amount)));
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException notAnInstant) {
            return Optional.empty();
        }
    }

    private static Optional<String> first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
