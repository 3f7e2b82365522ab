package dev.nightjar.core.traces;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.TraceId;
import java.util.List;

/** Reads one tenant's spans. Thread-safe. */
public interface SpanReader {

    /**
     * Every span of the trace the store holds, whatever order they arrived in, ordered by start time then
     * span id; at most {@link dev.nightjar.core.telemetry.Limits#MAX_TRACE_SPANS}. Empty if unknown.
     */
    List<Span> getTrace(TenantId tenant, TraceId traceId);

    /** Matching spans, newest start first. */
    List<Span> searchSpans(TenantId tenant, SpanQuery query);

    /** Names of services with a span starting in the range, sorted. */
    List<String> services(TenantId tenant, TimeRange range);

    /** Distinct (name, kind) of the service's spans starting in the range, sorted by name then kind. */
    List<Operation> operations(TenantId tenant, String service, TimeRange range);

    /** One RED row per service with entry spans starting in the range, sorted by service. */
    List<RedStats> serviceRed(TenantId tenant, TimeRange range);

    /** One RED row per entry-span name of the service in the range, sorted by operation. */
    List<RedStats> operationRed(TenantId tenant, String service, TimeRange range);
}
