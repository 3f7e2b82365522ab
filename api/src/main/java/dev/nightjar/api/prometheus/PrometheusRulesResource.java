package dev.nightjar.api.prometheus;

import dev.nightjar.auth.Permissions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Prometheus' rule and alert state endpoints. Nightjar evaluates no Prometheus recording or alerting
 * rules, so both answer with empty lists in Prometheus' shapes. Grafana's alert list asks every
 * Prometheus data source for them, and a 404 there shows as an error on its Alerting page.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Prometheus", description = "Prometheus-compatible query API over the caller's tenant")
@RolesAllowed(Permissions.READ)
public class PrometheusRulesResource {
    private static final byte[] NO_RULES =
            "{\"status\":\"success\",\"data\":{\"groups\":[]}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_ALERTS =
            "{\"status\":\"success\",\"data\":{\"alerts\":[]}}".getBytes(StandardCharsets.UTF_8);

    @GET
    @Path("/rules")
    @Operation(summary = "Recording and alerting rule groups (Prometheus API): none are evaluated, so always empty")
    public Response rules() {
        return PrometheusResponses.run(() -> NO_RULES);
    }

    @GET
    @Path("/alerts")
    @Operation(summary = "Firing alerts of Prometheus rules (Prometheus API): none are evaluated, so always empty")
    public Response alerts() {
        return PrometheusResponses.run(() -> NO_ALERTS);
    }
}
