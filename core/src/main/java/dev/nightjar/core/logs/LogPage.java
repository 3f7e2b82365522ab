package dev.nightjar.core.logs;

import java.util.List;
import java.util.Optional;

/** One page of records, newest first; {@code next} is null when no further record matches. */
public record LogPage(List<LogRecord> records, LogCursor next) {

    public static final LogPage EMPTY = new LogPage(List.of(), null);

    public LogPage {
        records = List.copyOf(records);
    }

    public Optional<LogCursor> nextCursor() {
        return Optional.ofNullable(next);
    }
}
