package dev.nightjar.webapp.logs;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import java.util.List;
import java.util.Set;

/** A parsed query box: full-text terms, exact field filters and severity levels, all ANDed. */
record ParsedLogQuery(List<String> terms, List<AttributeFilter> filters, Set<SeverityLevel> severities) {

    static final ParsedLogQuery EMPTY = new ParsedLogQuery(List.of(), List.of(), Set.of());

    ParsedLogQuery {
        terms = List.copyOf(terms);
        filters = List.copyOf(filters);
        severities = Set.copyOf(severities);
    }

    /** The storage filter for a range; the parser has already checked every limit it enforces. */
    LogFilter toFilter(TimeRange range) {
        return new LogFilter(range, terms, filters, List.of(), severities);
    }
}
