package dev.nightjar.webapp.traces;

import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One row of the trace search results, computed from the trace's spans. */
record TraceSummary(
        TraceId traceId,
        Instant start,
        String service,
        String rootOperation,
        Duration duration,
        int spans,
        int errors) {

    static TraceSummary of(TraceId id, List<Span> spans) {
        TraceTree tree = new TraceTree(spans);
        Span root = tree.primaryRoot();
        long start = spans.stream().mapToLong(Span::startTimeUnixNano).min().orElse(0);
        long end = spans.stream().mapToLong(Span::endTimeUnixNano).max().orElse(start);
        int errors = (int) spans.stream().filter(Span::isError).count();
        return new TraceSummary(
                id,
                Timestamps.toInstant(start),
                root == null ? "" : root.serviceName(),
                root == null ? "" : root.name(),
                Duration.ofNanos(Math.max(0, end - start)),
                spans.size(),
                errors);
    }
}
