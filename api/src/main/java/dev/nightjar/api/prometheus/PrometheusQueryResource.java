package dev.nightjar.api.prometheus;

import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.promql.QueryStats;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Prometheus' PromQL query endpoints, over GET and form-encoded POST (Grafana's default). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Prometheus", description = "Prometheus-compatible query API over the caller's tenant")
@RolesAllowed(Permissions.READ)
public class PrometheusQueryResource {
    private final PromqlEngine engine;
    private final MetricsReader reader;
    private final CurrentCaller caller;
    private final PrometheusLimits limits;

    PrometheusQueryResource(PromqlEngine engine, MetricsReader reader, CurrentCaller caller, PrometheusLimits limits) {
        this.engine = engine;
        this.reader = reader;
        this.caller = caller;
        this.limits = limits;
    }

    @GET
    @Path("/query")
    @Operation(summary = "PromQL instant query (Prometheus API)")
    public Response query(@Context UriInfo uri) {
        return query(PrometheusParams.of(uri.getQueryParameters(), null));
    }

    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "PromQL instant query, form-encoded (Prometheus API)")
    public Response queryPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        return query(PrometheusParams.of(uri.getQueryParameters(), form));
    }

    @GET
    @Path("/query_range")
    @Operation(summary = "PromQL range query (Prometheus API)")
    public Response queryRange(@Context UriInfo uri) {
        return queryRange(PrometheusParams.of(uri.getQueryParameters(), null));
    }

    @POST
    @Path("/query_range")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "PromQL range query, form-encoded (Prometheus API)")
    public Response queryRangePost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        return queryRange(PrometheusParams.of(uri.getQueryParameters(), form));
    }

    /** Exemplars are not stored; an empty answer keeps Grafana's exemplar toggle working. */
    @GET
    @Path("/query_exemplars")
    public Response exemplars() {
        return PrometheusResponses.run(() -> PrometheusJson.strings(java.util.List.of()));
    }

    @POST
    @Path("/query_exemplars")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response exemplarsPost() {
        return exemplars();
    }

    private Response query(PrometheusParams params) {
        TenantId tenant = caller.get().tenant();
        return PrometheusResponses.run(() -> {
            String query = queryText(params);
            long time = params.time("time", System.currentTimeMillis());
            QueryStats[] stats = new QueryStats[1];
            QueryResult result = engine(params).instantQuery(reader, tenant, query, time, s -> stats[0] = s);
            limits.checkResultSize(result);
            return PrometheusJson.queryResult(result, wantsStats(params) ? stats[0] : null);
        });
    }

    private Response queryRange(PrometheusParams params) {
        TenantId tenant = caller.get().tenant();
        return PrometheusResponses.run(() -> {
            String query = queryText(params);
            long start = requiredTime(params, "start");
            long end = requiredTime(params, "end");
            String stepText = params.get("step");
            if (stepText == null || stepText.isEmpty()) {
                throw PrometheusApiException.invalidParameter("step", "cannot parse \"\" to a valid duration");
            }
            long step = PrometheusParams.parseDuration("step", stepText);
            if (end < start) {
                throw PrometheusApiException.invalidParameter("end", "end timestamp must not be before start time");
            }
            if (step <= 0) {
                throw PrometheusApiException.invalidParameter(
                        "step",
                        "zero or negative query resolution step widths are not accepted. Try a positive integer");
            }
            limits.checkRange(Duration.ofMillis(end - start));
            QueryStats[] stats = new QueryStats[1];
            QueryResult result = engine(params).rangeQuery(reader, tenant, query, start, end, step, s -> stats[0] = s);
            limits.checkResultSize(result);
            return PrometheusJson.queryResult(result, wantsStats(params) ? stats[0] : null);
        });
    }

    /**
     * Prometheus' {@code timeout} parameter can only shorten the server's own query timeout
     * ({@code nightjar.promql.timeout}); zero or negative means already expired, as in Prometheus.
     */
    private PromqlEngine engine(PrometheusParams params) {
        String text = params.get("timeout");
        if (text == null || text.isEmpty()) {
            return engine;
        }
        return engine.withTimeout(Duration.ofMillis(PrometheusParams.parseDuration("timeout", text)));
    }

    /** Prometheus adds its cost figures when {@code stats} has any value ({@code stats=all} too). */
    private static boolean wantsStats(PrometheusParams params) {
        String stats = params.get("stats");
        return stats != null && !stats.isEmpty();
    }

    private String queryText(PrometheusParams params) {
        String query = params.get("query");
        if (query == null) {
            query = "";
        }
        limits.checkQueryLength(query);
        return query;
    }

    private static long requiredTime(PrometheusParams params, String name) {
        String text = params.get(name);
        if (text == null || text.isEmpty()) {
            throw PrometheusApiException.invalidParameter(name, "cannot parse \"\" to a valid timestamp");
        }
        return PrometheusParams.parseTime(name, text);
    }
}
