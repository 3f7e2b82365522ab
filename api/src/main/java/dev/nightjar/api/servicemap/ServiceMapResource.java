package dev.nightjar.api.servicemap;

import dev.nightjar.api.errors.ApiError;
import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.PromqlException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The service map over the caller's tenant, built from the node sensor's TCP and L7 series. */
@Path("/api/v1/service-map")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service map", description = "Who talks to whom, with traffic, RED and dependency health")
@RolesAllowed(Permissions.READ)
public class ServiceMapResource {
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);

    private final Instance<PromqlEngine> engine;
    private final Instance<MetricsReader> reader;
    private final CurrentCaller caller;

    ServiceMapResource(Instance<PromqlEngine> engine, Instance<MetricsReader> reader, CurrentCaller caller) {
        this.engine = engine;
        this.reader = reader;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "Service map for a time range",
            description = "Nodes are processes (executable plus listening ports), containers and remote hosts; "
                    + "edges carry connects, bytes, L7 request rate, error ratio, p95, TCP failures and "
                    + "dependency health scores in [0,1]. At most " + ServiceMaps.MAX_NODES + " nodes (the "
                    + "busiest are kept, 'truncated' says so) and a range of at most 7 days.")
    @APIResponse(responseCode = "200", description = "The map")
    @APIResponse(responseCode = "400", description = "Bad time range")
    @APIResponse(responseCode = "503", description = "The metrics store or the query engine is not available")
    public Response get(
            @Parameter(description = "Range start: RFC 3339 or Unix seconds (default: 1h before 'to')")
                    @QueryParam("from")
                    String from,
            @Parameter(description = "Range end: RFC 3339 or Unix seconds (default: now)") @QueryParam("to")
                    String to) {
        TenantId tenant = caller.get().tenant();
        if (!engine.isResolvable() || !reader.isResolvable()) {
            return error(503, "unavailable", "the metrics store is not available on this instance (query role off)");
        }
        long toMs;
        long fromMs;
        try {
            toMs = to == null || to.isBlank() ? System.currentTimeMillis() : parseTime(to);
            fromMs = from == null || from.isBlank() ? toMs - DEFAULT_RANGE.toMillis() : parseTime(from);
            ServiceMaps.validate(fromMs, toMs);
        } catch (IllegalArgumentException e) {
            return error(400, "bad_request", e.getMessage());
        }
        try {
            return Response.ok(ServiceMaps.build(engine.get(), reader.get(), tenant, fromMs, toMs))
                    .build();
        } catch (PromqlException e) {
            // Timeouts and sample limits: the map is too big for the engine's budget in this range.
            return error(422, "query_limit", "the service map query exceeded a limit: " + e.getMessage());
        }
    }

    static long parseTime(String text) {
        if (text.length() > 64) {
            throw new IllegalArgumentException("time value too long");
        }
        // Plain decimal seconds only: an exponent ("1e999999999") would make BigDecimal build a huge number.
        if (text.matches("-?\\d{1,12}(\\.\\d{1,9})?")) {
            return new BigDecimal(text)
                    .movePointRight(3)
                    .setScale(0, RoundingMode.DOWN)
                    .longValueExact();
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cannot parse time: expected RFC 3339 or Unix seconds");
        }
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, code, message))
                .build();
    }
}
