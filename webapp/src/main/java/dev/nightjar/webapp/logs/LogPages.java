package dev.nightjar.webapp.logs;

import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The rows a search has fetched so far, for the grid's lazy loading. Storage pages forward only
 * (search-after cursors), so rows are cached in order and more pages are fetched as the grid scrolls
 * past the end; never more than {@link #MAX_ROWS}, so one scroll cannot pull a whole index into memory.
 * Live tail puts newer records in front.
 */
final class LogPages {
    static final int MAX_ROWS = 10_000;

    private final Function<LogCursor, LogPage> fetch;
    private final List<LogRow> rows = new ArrayList<>();
    private LogCursor next;
    private boolean exhausted;
    private long seq;

    /** {@code fetch} answers the page after a cursor ({@code null}: the first page). */
    LogPages(Function<LogCursor, LogPage> fetch, LogPage first) {
        this.fetch = fetch;
        accept(first);
    }

    /** Up to {@code limit} rows from {@code offset}, fetching forward as needed. */
    synchronized List<LogRow> rows(int offset, int limit) {
        int wanted = (int) Math.min((long) offset + limit, MAX_ROWS);
        while (rows.size() < wanted && !exhausted) {
            accept(fetch.apply(next));
        }
        if (offset >= rows.size()) {
            return List.of();
        }
        return List.copyOf(rows.subList(offset, Math.min(rows.size(), wanted)));
    }

    /** Newer records (newest first) in front of what is shown; returns how many were added. */
    synchronized int prepend(List<LogRecord> newerFirst) {
        List<LogRow> added = new ArrayList<>(newerFirst.size());
        for (LogRecord record : newerFirst) {
            added.add(new LogRow(seq++, record));
        }
        rows.addAll(0, added);
        if (rows.size() > MAX_ROWS) {
            rows.subList(MAX_ROWS, rows.size()).clear();
            exhausted = true;
        }
        return added.size();
    }

    synchronized List<LogRow> fetched() {
        return List.copyOf(rows);
    }

    /** Whether more matching records exist than the cap lets the grid show. */
    synchronized boolean capped() {
        return rows.size() >= MAX_ROWS;
    }

    synchronized long newestTimeUnixNano() {
        return rows.isEmpty() ? 0 : rows.get(0).record().effectiveTimeUnixNano();
    }

    private void accept(LogPage page) {
        for (LogRecord record : page.records()) {
            if (rows.size() >= MAX_ROWS) {
                break;
            }
            rows.add(new LogRow(seq++, record));
        }
        next = page.next();
        exhausted = next == null || rows.size() >= MAX_ROWS || page.records().isEmpty();
    }
}
