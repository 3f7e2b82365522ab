package dev.nightjar.core.logs;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.Limits;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Timestamps;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which log records a search, histogram or top-values query looks at. All parts must hold (AND):
 *
 * <ul>
 *   <li>{@code range}: the record's {@linkplain LogRecord#effectiveTimeUnixNano() time} is in the
 *       half-open range {@code [start, end)};
 *   <li>{@code terms}: the body contains every term (see {@link FullText} for what a term matches);
 *   <li>{@code filters}: every exact {@code field=value} filter matches;
 *   <li>{@code ranges}: every numeric range matches;
 *   <li>{@code severities}: the record's severity level is one of them (empty: any level).
 * </ul>
 */
public record LogFilter(
        TimeRange range,
        List<String> terms,
        List<AttributeFilter> filters,
        List<NumericRangeFilter> ranges,
        Set<SeverityLevel> severities) {

    public LogFilter {
        Timestamps.checkQueryRange(range);
        terms = List.copyOf(terms);
        filters = List.copyOf(filters);
        ranges = List.copyOf(ranges);
        severities = severities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(severities));
        if (terms.size() > Limits.MAX_TERMS) {
            throw new IllegalArgumentException("more than " + Limits.MAX_TERMS + " search terms");
        }
        for (String term : terms) {
            checkTerm(term);
        }
        if (filters.size() + ranges.size() > Limits.MAX_FILTERS) {
            throw new IllegalArgumentException("more than " + Limits.MAX_FILTERS + " filters");
        }
    }

    public static LogFilter of(TimeRange range) {
        return new LogFilter(range, List.of(), List.of(), List.of(), Set.of());
    }

    public static Builder builder(TimeRange range) {
        return new Builder(range);
    }

    /** The words of each term, as {@link FullText#tokenize} splits them. */
    public List<List<String>> termTokens() {
        return terms.stream().map(FullText::tokenize).toList();
    }

    private static void checkTerm(String term) {
        Objects.requireNonNull(term, "search term");
        if (term.length() > Limits.MAX_TERM_LENGTH) {
            throw new IllegalArgumentException("search term longer than " + Limits.MAX_TERM_LENGTH + " characters");
        }
        if (FullText.tokenize(term).isEmpty()) {
            throw new IllegalArgumentException("search term '" + term + "' has no searchable characters");
        }
    }

    public static final class Builder {
        private final TimeRange range;
        private final List<String> terms = new ArrayList<>();
        private final List<AttributeFilter> filters = new ArrayList<>();
        private final List<NumericRangeFilter> ranges = new ArrayList<>();
        private final Set<SeverityLevel> severities = EnumSet.noneOf(SeverityLevel.class);

        private Builder(TimeRange range) {
            this.range = range;
        }

        public Builder term(String term) {
            terms.add(term);
            return this;
        }

        public Builder filter(AttributeFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        public Builder resource(String key, String value) {
            return filter(AttributeFilter.resource(key, value));
        }

        public Builder attribute(String key, String value) {
            return filter(AttributeFilter.attribute(key, value));
        }

        public Builder range(FieldRef field, Double min, Double max) {
            ranges.add(new NumericRangeFilter(field, min, max));
            return this;
        }

        public Builder severity(SeverityLevel... levels) {
            severities.addAll(List.of(levels));
            return this;
        }

        public LogFilter build() {
            return new LogFilter(range, terms, filters, ranges, severities);
        }
    }
}
