package dev.nightjar.core.telemetry.memory;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.traces.Span;
import java.util.ArrayList;
import java.util.List;

/** One tenant's records; guarded by synchronizing on the instance. */
final class TenantData {

    record StoredLog(long id, LogRecord record, List<String> tokens) {
        long time() {
            return record.effectiveTimeUnixNano();
        }
    }

    final List<StoredLog> logs = new ArrayList<>();
    final List<Span> spans = new ArrayList<>();

    long removeBefore(long cutoffNanos) {
        int before = logs.size() + spans.size();
        logs.removeIf(l -> l.time() < cutoffNanos);
        spans.removeIf(s -> s.startTimeUnixNano() < cutoffNanos);
        return before - logs.size() - spans.size();
    }
}
