package dev.nightjar.webapp.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LogPagesTest {

    /** A fake store of {@code total} records, newest first, paged by cursor in pages of {@code size}. */
    private static Function<LogCursor, LogPage> store(int total, int size, List<LogCursor> calls) {
        return cursor -> {
            calls.add(cursor);
            long start = cursor == null ? total : cursor.timeUnixNano() - 1;
            List<LogRecord> records = new ArrayList<>();
            for (long t = start; t > start - size && t > 0; t--) {
                records.add(LogRecord.builder().timeUnixNano(t).body("r" + t).build());
            }
            LogCursor next = records.isEmpty() || records.getLast().timeUnixNano() == 1
                    ? null
                    : new LogCursor(records.getLast().timeUnixNano(), 0);
            return new LogPage(records, next);
        };
    }

    @Test
    void fetchesForwardOnlyAsFarAsTheGridScrolls() {
        List<LogCursor> calls = new ArrayList<>();
        Function<LogCursor, LogPage> fetch = store(1000, 100, calls);
        LogPages pages = new LogPages(fetch, fetch.apply(null));
        calls.clear();

        assertThat(pages.rows(0, 50)).hasSize(50);
        assertThat(calls).isEmpty();
        List<LogRow> rows = pages.rows(150, 100);
        assertThat(rows).hasSize(100);
        assertThat(rows.getFirst().record().timeUnixNano()).isEqualTo(850);
        assertThat(calls).hasSize(2);
        // Cached: asking again fetches nothing.
        assertThat(pages.rows(100, 100).getFirst().record().timeUnixNano()).isEqualTo(900);
        assertThat(calls).hasSize(2);
        assertThat(pages.rows(990, 50)).hasSize(10);
        assertThat(pages.rows(1000, 50)).isEmpty();
    }

    @Test
    void stopsAtTheCap() {
        List<LogCursor> calls = new ArrayList<>();
        Function<LogCursor, LogPage> fetch = store(50_000, 1000, calls);
        LogPages pages = new LogPages(fetch, fetch.apply(null));
        assertThat(pages.rows(9_950, 500)).hasSize(50);
        assertThat(pages.rows(LogPages.MAX_ROWS, 100)).isEmpty();
        assertThat(pages.capped()).isTrue();
        assertThat(calls).hasSize(10);
    }

    @Test
    void liveTailPutsNewerRecordsInFront() {
        List<LogCursor> calls = new ArrayList<>();
        Function<LogCursor, LogPage> fetch = store(10, 100, calls);
        LogPages pages = new LogPages(fetch, fetch.apply(null));
        assertThat(pages.newestTimeUnixNano()).isEqualTo(10);
        pages.prepend(List.of(
                LogRecord.builder().timeUnixNano(12).build(),
                LogRecord.builder().timeUnixNano(11).build()));
        assertThat(pages.newestTimeUnixNano()).isEqualTo(12);
        assertThat(pages.rows(0, 100))
                .extracting(r -> r.record().timeUnixNano())
                .startsWith(12L, 11L, 10L)
                .hasSize(12);
    }
}
