package dev.nightjar.api.jaeger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.api.logs.QueryGuard;
import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.Limits;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.StatusCode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A Jaeger-compatible HTTP query API under {@code /jaeger/api}, so Grafana's Jaeger data source (URL
 * {@code http://<nightjar>/jaeger}) works unchanged. Bearer or Basic (API key as password) with the read
 * scope; every answer is the caller's tenant's.
 */
@Path("/jaeger/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jaeger", description = "Jaeger-compatible trace query API")
@RolesAllowed(Permissions.READ)
public class JaegerResource {
    static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);
    static final int DEFAULT_LIMIT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StorageComponent storage;
    private final CurrentCaller caller;
    private final QueryGuard guard;

    JaegerResource(StorageComponent storage, CurrentCaller caller, QueryGuard guard) {
        this.storage = storage;
        this.caller = caller;
        this.guard = guard;
    }

    @GET
    @Path("/services")
    @Operation(summary = "Service names (Jaeger shape)")
    public JaegerModel.Envelope<List<String>> services() {
        TenantId tenant = caller.get().tenant();
        List<String> services =
                guard.run("jaeger.services", () -> storage.spanReader().services(tenant, lookback()));
        return JaegerModel.Envelope.of(services, services.size());
    }

    @GET
    @Path("/services/{service}/operations")
    @Operation(summary = "Operation names of a service (Jaeger shape)")
    public JaegerModel.Envelope<List<String>> serviceOperations(@PathParam("service") String service) {
        TenantId tenant = caller.get().tenant();
        List<String> names = guard.run(
                "jaeger.operations",
                () -> storage.spanReader().operations(tenant, service, lookback()).stream()
                        .map(dev.nightjar.core.traces.Operation::name)
                        .distinct()
                        .toList());
        return JaegerModel.Envelope.of(names, names.size());
    }

    @GET
    @Path("/operations")
    @Operation(summary = "Operations with span kinds of a service (Jaeger shape)")
    public JaegerModel.Envelope<List<JaegerModel.OperationView>> operations(@QueryParam("service") String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service is required");
        }
        TenantId tenant = caller.get().tenant();
        List<JaegerModel.OperationView> ops = guard.run(
                "jaeger.operations",
                () -> storage.spanReader().operations(tenant, service, lookback()).stream()
                        .map(o -> new JaegerModel.OperationView(
                                o.name(), o.kind().name().toLowerCase(java.util.Locale.ROOT)))
                        .toList());
        return JaegerModel.Envelope.of(ops, ops.size());
    }

    @GET
    @Path("/traces/{traceId}")
    @Operation(summary = "One trace (Jaeger shape)")
    public Response trace(@PathParam("traceId") String traceId) {
        TenantId tenant = caller.get().tenant();
        TraceId id = TraceId.fromHex(padTraceId(traceId));
        List<Span> spans = guard.run("jaeger.trace", () -> storage.spanReader().getTrace(tenant, id));
        if (spans.isEmpty()) {
            return Response.status(404)
                    .entity(new JaegerModel.Envelope<>(
                            null, 0, 0, 0, List.of(new JaegerModel.Error(404, "trace not found"))))
                    .build();
        }
        return Response.ok(JaegerModel.Envelope.of(List.of(JaegerModel.trace(spans)), 1))
                .build();
    }

    @GET
    @Path("/traces")
    @Operation(summary = "Find traces (Jaeger shape): service, operation, tags, start/end (µs), durations, limit")
    public JaegerModel.Envelope<List<JaegerModel.Trace>> findTraces(
            @QueryParam("service") String service,
            @QueryParam("operation") String operation,
            @QueryParam("tags") String tags,
            @QueryParam("start") Long startMicros,
            @QueryParam("end") Long endMicros,
            @QueryParam("lookback") String lookback,
            @QueryParam("minDuration") String minDuration,
            @QueryParam("maxDuration") String maxDuration,
            @QueryParam("limit") Integer limit) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service is required");
        }
        TenantId tenant = caller.get().tenant();
        Instant end = endMicros == null ? Instant.now() : micros(endMicros);
        Instant start = startMicros == null ? end.minus(DEFAULT_LOOKBACK) : micros(startMicros);
        int wanted = limit == null || limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, Limits.MAX_PAGE_SIZE);
        SpanQuery.Builder q =
                SpanQuery.builder(new TimeRange(start, end)).service(service).limit(Limits.MAX_PAGE_SIZE);
        if (operation != null && !operation.isBlank() && !operation.equals("all")) {
            q.spanName(operation);
        }
        if (minDuration != null && !minDuration.isBlank()) {
            q.minDuration(JaegerDurations.parse("minDuration", minDuration));
        }
        if (maxDuration != null && !maxDuration.isBlank()) {
            q.maxDuration(JaegerDurations.parse("maxDuration", maxDuration));
        }
        for (Map.Entry<String, String> tag : parseTags(tags).entrySet()) {
            if (tag.getKey().equals("error") && tag.getValue().equals("true")) {
                q.status(StatusCode.ERROR);
            } else {
                q.filter(AttributeFilter.attribute(tag.getKey(), tag.getValue()));
            }
        }
        SpanQuery query = q.build();
        List<JaegerModel.Trace> traces = guard.run("jaeger.traces", () -> {
            Set<TraceId> ids = new LinkedHashSet<>();
            for (Span s : storage.spanReader().searchSpans(tenant, query)) {
                if (ids.size() >= wanted) {
                    break;
                }
                ids.add(s.traceId());
            }
            List<JaegerModel.Trace> out = new ArrayList<>();
            for (TraceId id : ids) {
                List<Span> spans = storage.spanReader().getTrace(tenant, id);
                if (!spans.isEmpty()) {
                    out.add(JaegerModel.trace(spans));
                }
            }
            return out;
        });
        return JaegerModel.Envelope.of(traces, traces.size());
    }

    private static TimeRange lookback() {
        return TimeRange.last(Duration.ofDays(7), Instant.now());
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** Jaeger clients may drop leading zeros of a trace id. */
    static String padTraceId(String id) {
        if (id == null || id.isEmpty() || id.length() > 32) {
            throw new IllegalArgumentException("trace id must be 1..32 hex digits");
        }
        return "0".repeat(32 - id.length()) + id;
    }

    /** Jaeger's {@code tags} parameter: a JSON object of string values, e.g. {@code {"http.status_code":"500"}}. */
    static Map<String, String> parseTags(String tags) {
        if (tags == null || tags.isBlank()) {
            return Map.of();
        }
        if (tags.length() > 8192) {
            throw new IllegalArgumentException("tags is longer than 8192 characters");
        }
        try {
            Map<String, Object> raw = JSON.readValue(tags, new TypeReference<Map<String, Object>>() {});
            Map<String, String> out = new java.util.LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(k, String.valueOf(v)));
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("tags must be a JSON object such as {\"http.status_code\":\"500\"}");
        }
    }
}
