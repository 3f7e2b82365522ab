package dev.nightjar.core.logs;

import dev.nightjar.core.telemetry.Limits;
import java.util.Objects;

/**
 * A newest-first page of log records matching {@code filter}: at most {@code limit} records, starting
 * after {@code after} (null for the first page). Records with equal times are ordered by a
 * store-assigned tiebreak, so paging neither repeats nor skips records.
 */
public record LogQuery(LogFilter filter, int limit, LogCursor after) {

    public LogQuery {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1.." + Limits.MAX_PAGE_SIZE);
        }
    }

    public static LogQuery of(LogFilter filter, int limit) {
        return new LogQuery(filter, limit, null);
    }

    public LogQuery after(LogCursor cursor) {
        return new LogQuery(filter, limit, cursor);
    }
}
