package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data survives a close and reopen over the same directory (persistent backends). */
public abstract class DurabilityConformance extends StorageConformance {

    private void reopen() throws Exception {
        storage.close();
        storage = newStorage(dataDir);
    }

    @Test
    void committedDataSurvivesReopen() throws Exception {
        LogRecord r = log(T0.minusSeconds(1), "persisted").build();
        TraceId trace = newTraceId();
        Span s = span(trace, null, "api", "GET /", T0.minusSeconds(1), Duration.ofMillis(4))
                .build();
        storage.logWriter().write(TENANT_A, List.of(r));
        storage.spanWriter().write(TENANT_A, List.of(s));
        storage.commit();
        reopen();
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactly(r);
        assertThat(storage.spanReader().getTrace(TENANT_A, trace)).containsExactly(s);
        assertThat(storage.spanReader().services(TENANT_A, lastHour())).containsExactly("api");
    }

    @Test
    void closeCommits() throws Exception {
        storage.logWriter()
                .write(
                        TENANT_B,
                        List.of(log(T0.minusSeconds(1), "closed cleanly").build()));
        reopen();
        assertThat(bodies(search(TENANT_B, LogFilter.of(lastHour())))).containsExactly("closed cleanly");
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).isEmpty();
    }

    @Test
    void pagingStaysTotalAcrossRestarts() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(log(T0.minusSeconds(i % 3), "before restart " + i).build());
        }
        writeLogs(TENANT_A, records);
        reopen();
        List<LogRecord> more = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            more.add(log(T0.minusSeconds(i % 3), "after restart " + i).build());
        }
        writeLogs(TENANT_A, more);
        List<LogRecord> all = searchAllPages(TENANT_A, LogFilter.of(lastHour()), 9);
        assertThat(all).hasSize(80);
        assertThat(bodies(all)).doesNotHaveDuplicates();
    }
}
