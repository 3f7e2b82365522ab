package dev.nightjar.api.traces;

import dev.nightjar.api.logs.QueryGuard;
import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.StatusCode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/traces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Traces", description = "Traces, spans and RED figures of the caller's tenant")
@RolesAllowed(Permissions.READ)
public class TracesResource {
    private final StorageComponent storage;
    private final CurrentCaller caller;
    private final QueryGuard guard;

    TracesResource(StorageComponent storage, CurrentCaller caller, QueryGuard guard) {
        this.storage = storage;
        this.caller = caller;
        this.guard = guard;
    }

    @GET
    @Path("/{traceId}")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Every span of one trace, by start time")
    public List<SpanView> trace(@PathParam("traceId") String traceId) {
        TenantId tenant = caller.get().tenant();
        TraceId id = TraceId.fromHex(traceId);
        List<SpanView> spans = guard.run(
                "traces.get",
                () -> storage.spanReader().getTrace(tenant, id).stream()
                        .map(SpanView::of)
                        .toList());
        if (spans.isEmpty()) {
            throw new NotFoundException("no trace " + id.toHex());
        }
        return spans;
    }

    @GET
    @Path("/spans")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Spans matching the filters, newest first")
    public List<SpanView> spans(
            @QueryParam("start") String start,
            @QueryParam("end") String end,
            @QueryParam("service") String service,
            @QueryParam("operation") String operation,
            @Parameter(description = "INTERNAL, SERVER, CLIENT, PRODUCER or CONSUMER") @QueryParam("kind") String kind,
            @Parameter(description = "UNSET, OK or ERROR") @QueryParam("status") String status,
            @Parameter(description = "milliseconds") @QueryParam("minDurationMs") Long minDurationMs,
            @Parameter(description = "milliseconds") @QueryParam("maxDurationMs") Long maxDurationMs,
            @Parameter(description = "resource.<key>=value or attribute.<key>=value (repeatable)") @QueryParam("filter")
                    List<String> filters,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        TenantId tenant = caller.get().tenant();
        SpanQuery.Builder b = SpanQuery.builder(QueryGuard.range(start, end))
                .service(blankToNull(service))
                .spanName(blankToNull(operation))
                .limit(limit);
        if (kind != null && !kind.isBlank()) {
            b.kind(parse(SpanKind.class, "kind", kind));
        }
        if (status != null && !status.isBlank()) {
            b.status(parse(StatusCode.class, "status", status));
        }
        if (minDurationMs != null) {
            b.minDuration(Duration.ofMillis(minDurationMs));
        }
        if (maxDurationMs != null) {
            b.maxDuration(Duration.ofMillis(maxDurationMs));
        }
        if (filters != null) {
            filters.forEach(f -> b.filter(AttributeFilter.parse(f)));
        }
        SpanQuery query = b.build();
        return guard.run(
                "traces.spans",
                () -> storage.spanReader().searchSpans(tenant, query).stream()
                        .map(SpanView::of)
                        .toList());
    }

    @GET
    @Path("/services")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Services with spans in the range")
    public List<String> services(@QueryParam("start") String start, @QueryParam("end") String end) {
        TenantId tenant = caller.get().tenant();
        TimeRange range = QueryGuard.range(start, end);
        return guard.run("traces.services", () -> storage.spanReader().services(tenant, range));
    }

    @GET
    @Path("/services/{service}/operations")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Span names and kinds of one service")
    public List<Operation> operations(
            @PathParam("service") String service, @QueryParam("start") String start, @QueryParam("end") String end) {
        TenantId tenant = caller.get().tenant();
        TimeRange range = QueryGuard.range(start, end);
        return guard.run("traces.operations", () -> storage.spanReader().operations(tenant, service, range));
    }

    @GET
    @Path("/red")
    @org.eclipse.microprofile.openapi.annotations.Operation(
            summary = "Rate, errors and duration per service, or per operation of one service")
    public List<RedStats> red(
            @QueryParam("start") String start, @QueryParam("end") String end, @QueryParam("service") String service) {
        TenantId tenant = caller.get().tenant();
        TimeRange range = QueryGuard.range(start, end);
        return guard.run(
                "traces.red",
                () -> service == null || service.isBlank()
                        ? storage.spanReader().serviceRed(tenant, range)
                        : storage.spanReader().operationRed(tenant, service, range));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + name + " '" + QueryGuard.abbreviate(value) + "'");
        }
    }
}
