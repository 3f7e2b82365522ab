package dev.nightjar.webapp.logs;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the logs query box. The syntax is deliberately small and is never turned into Lucene (or any
 * other) query text; it becomes a typed {@link LogFilter}:
 *
 * <ul>
 *   <li>{@code word} and {@code "a quoted phrase"}: full-text terms the body must contain (AND);
 *   <li>{@code field=value} or {@code field="value with spaces"}: an exact filter on a field, see
 *       {@link FieldNames} for how names map to resource attributes, record attributes or intrinsics
 *       ({@code trace_id}, {@code span_id}, {@code severity_text}, {@code scope.name});
 *   <li>{@code severity=error} (also {@code level=}): severity levels, comma-separated for several
 *       ({@code severity=warn,error}); levels are trace, debug, info, warn, error, fatal, unspecified;
 *   <li>inside quotes, {@code \"} is a quote and {@code \\} a backslash.
 * </ul>
 *
 * Anything else (unbalanced quotes, an empty field name, too many terms) is a {@link
 * LogQuerySyntaxException} with a message to show next to the box.
 */
public final class LogQueryParser {
    static final int MAX_QUERY_LENGTH = 4096;
    private static final TimeRange PROBE = new TimeRange(Instant.EPOCH, Instant.EPOCH);

    private LogQueryParser() {}

    static ParsedLogQuery parse(String text) {
        if (text == null || text.isBlank()) {
            return ParsedLogQuery.EMPTY;
        }
        if (text.length() > MAX_QUERY_LENGTH) {
            throw new LogQuerySyntaxException("The query is longer than " + MAX_QUERY_LENGTH + " characters.");
        }
        List<String> terms = new ArrayList<>();
        List<AttributeFilter> filters = new ArrayList<>();
        Set<SeverityLevel> severities = EnumSet.noneOf(SeverityLevel.class);
        Scanner scanner = new Scanner(text);
        while (scanner.skipSpace()) {
            if (scanner.peek() == '"') {
                terms.add(scanner.quoted());
                continue;
            }
            String word = scanner.bare();
            int eq = word.indexOf('=');
            if (eq < 0) {
                if (word.startsWith("-") && word.length() > 1) {
                    throw new LogQuerySyntaxException("Excluding with '-' is not supported; '"
                            + FieldNames.abbreviate(word) + "' cannot be searched.");
                }
                terms.add(word);
                continue;
            }
            String field = word.substring(0, eq);
            if (field.isEmpty()) {
                throw new LogQuerySyntaxException(
                        "'" + FieldNames.abbreviate(word) + "' needs a field name before '='.");
            }
            String value = eq == word.length() - 1 && scanner.peek() == '"' ? scanner.quoted() : word.substring(eq + 1);
            if (value.isEmpty()) {
                throw new LogQuerySyntaxException("'" + FieldNames.abbreviate(field) + "=' needs a value.");
            }
            String lower = field.toLowerCase(Locale.ROOT);
            if (lower.equals("severity") || lower.equals("level")) {
                severities.addAll(levels(value));
            } else {
                filters.add(filter(field, value));
            }
        }
        ParsedLogQuery parsed = new ParsedLogQuery(terms, filters, severities);
        try {
            // The storage model enforces term count, length and "has searchable characters": let it
            // decide now, so the user sees the reason before any query runs.
            parsed.toFilter(PROBE);
        } catch (IllegalArgumentException invalid) {
            throw new LogQuerySyntaxException(capitalise(invalid.getMessage()) + ".");
        }
        return parsed;
    }

    /**
     * Parses only {@code field=value} filters (the traces search form's attribute box), with the same
     * field names and quoting as the logs query box; words, phrases and severities are refused.
     */
    public static List<AttributeFilter> parseFilters(String text) {
        ParsedLogQuery parsed = parse(text);
        if (!parsed.terms().isEmpty() || !parsed.severities().isEmpty()) {
            throw new LogQuerySyntaxException("Only field=value filters are allowed here.");
        }
        return parsed.filters();
    }

    /** Appends {@code field=value} to a query, quoting the value when it needs it. */
    static String withFilter(String query, String field, String value) {
        String token = field + "=" + quoteIfNeeded(value);
        String base = query == null ? "" : query.strip();
        return base.isEmpty() ? token : base + " " + token;
    }

    static String quoteIfNeeded(String value) {
        boolean plain =
                !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\');
        return plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static AttributeFilter filter(String field, String value) {
        try {
            FieldRef ref = FieldNames.resolve(field);
            return AttributeFilter.parse(ref + "=" + value);
        } catch (IllegalArgumentException invalid) {
            throw new LogQuerySyntaxException(capitalise(invalid.getMessage()) + ".");
        }
    }

    private static Set<SeverityLevel> levels(String value) {
        Set<SeverityLevel> out = EnumSet.noneOf(SeverityLevel.class);
        for (String part : value.split(",", -1)) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            if (name.equals("WARNING")) {
                name = "WARN";
            }
            try {
                out.add(SeverityLevel.valueOf(name));
            } catch (IllegalArgumentException unknown) {
                throw new LogQuerySyntaxException("'" + FieldNames.abbreviate(part)
                        + "' is not a severity; use trace, debug, info, warn, error, fatal or unspecified.");
            }
        }
        return out;
    }

    private static String capitalise(String message) {
        return message == null || message.isEmpty()
                ? "Invalid query"
                : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    /** Walks the text by code unit; quotes and whitespace are all ASCII, so surrogates pass through. */
    private static final class Scanner {
        private final String text;
        private int pos;

        Scanner(String text) {
            this.text = text;
        }

        boolean skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length();
        }

        char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        /** A run up to whitespace or an opening quote right after {@code =}. */
        String bare() {
            int start = pos;
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
                char c = text.charAt(pos);
                if (c == '"') {
                    if (pos > start && text.charAt(pos - 1) == '=') {
                        break;
                    }
                    throw new LogQuerySyntaxException(
                            "Unexpected quote at position " + (pos + 1) + "; quote a whole phrase or a whole value.");
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        String quoted() {
            int open = pos;
            pos++; // the opening quote
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    out.append(text.charAt(pos++));
                } else if (c == '"') {
                    if (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
                        throw new LogQuerySyntaxException(
                                "Put a space after the closing quote at position " + pos + ".");
                    }
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw new LogQuerySyntaxException("The quote opened at position " + (open + 1) + " is never closed.");
        }
    }
}
