package dev.nightjar.core.metrics;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher. Regular expressions are anchored at both ends, as in Prometheus ({@code =~"a.*"}
 * matches "abc", not "xabc"); a missing label matches as the empty string.
 */
public record Matcher(String name, MatchType type, String value, Pattern pattern) {

    /** Longest regular expression accepted; longer ones are refused before compiling. */
    public static final int MAX_REGEX_LENGTH = 4096;

    public Matcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(name, MatchType.EQUAL, value, null);
    }

    public static Matcher notEqual(String name, String value) {
        return new Matcher(name, MatchType.NOT_EQUAL, value, null);
    }

    public static Matcher regex(String name, String regex) {
        return new Matcher(name, MatchType.REGEX, regex, compile(regex));
    }

    public static Matcher notRegex(String name, String regex) {
        return new Matcher(name, MatchType.NOT_REGEX, regex, compile(regex));
    }

    public static Matcher of(String name, MatchType type, String value) {
        return switch (type) {
            case EQUAL -> equal(name, value);
            case NOT_EQUAL -> notEqual(name, value);
            case REGEX -> regex(name, value);
            case NOT_REGEX -> notRegex(name, value);
        };
    }

    public static Matcher metricName(String name) {
        return equal(Labels.METRIC_NAME, name);
    }

    /** Compiles with full-string semantics; throws {@link IllegalArgumentException} on a bad pattern. */
    public static Pattern compile(String regex) {
        if (regex.length() > MAX_REGEX_LENGTH) {
            throw new IllegalArgumentException("regular expression longer than " + MAX_REGEX_LENGTH + " characters");
        }
        try {
            // DOTALL: in Prometheus "." also matches a newline inside label values.
            return Pattern.compile(fromRe2(regex), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression: " + e.getDescription(), e);
        }
    }

    /** RE2 (Prometheus) spells named groups {@code (?P<name>…)}; Java spells them {@code (?<name>…)}. */
    public static String fromRe2(String regex) {
        return regex.replace("(?P<", "(?<");
    }

    public boolean matches(String labelValue) {
        String v = labelValue == null ? "" : labelValue;
        return switch (type) {
            case EQUAL -> v.equals(value);
            case NOT_EQUAL -> !v.equals(value);
            case REGEX -> pattern.matcher(v).matches();
            case NOT_REGEX -> !pattern.matcher(v).matches();
        };
    }

    /** True when the matcher accepts a series that lacks the label. */
    public boolean matchesEmpty() {
        return matches("");
    }

    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.name.equals(name) && m.type == type && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, value);
    }

    @Override
    public String toString() {
        return name + type.symbol() + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
