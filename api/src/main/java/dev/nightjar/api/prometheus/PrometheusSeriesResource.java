package dev.nightjar.api.prometheus;

import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.promql.Expr;
import dev.nightjar.promql.PromqlEngine;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Prometheus' metadata endpoints: series, label names and values, metric metadata, build info. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Prometheus", description = "Prometheus-compatible query API over the caller's tenant")
@RolesAllowed(Permissions.READ)
public class PrometheusSeriesResource {
    /** Prometheus' open start and end: everything stored. */
    private static final long MIN_TIME = Long.MIN_VALUE / 4;

    private static final long MAX_TIME = Long.MAX_VALUE / 4;

    private final MetricsReader reader;
    private final CurrentCaller caller;
    private final PrometheusLimits limits;

    PrometheusSeriesResource(MetricsReader reader, CurrentCaller caller, PrometheusLimits limits) {
        this.reader = reader;
        this.caller = caller;
        this.limits = limits;
    }

    @GET
    @Path("/series")
    @Operation(summary = "Series matching selectors (Prometheus API)")
    public Response series(@Context UriInfo uri) {
        return series(PrometheusParams.of(uri.getQueryParameters(), null));
    }

    @POST
    @Path("/series")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response seriesPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        return series(PrometheusParams.of(uri.getQueryParameters(), form));
    }

    @GET
    @Path("/labels")
    @Operation(summary = "Label names (Prometheus API)")
    public Response labels(@Context UriInfo uri) {
        return labels(PrometheusParams.of(uri.getQueryParameters(), null));
    }

    @POST
    @Path("/labels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response labelsPost(@Context UriInfo uri, MultivaluedMap<String, String> form) {
        return labels(PrometheusParams.of(uri.getQueryParameters(), form));
    }

    @GET
    @Path("/label/{name}/values")
    @Operation(summary = "Values of one label (Prometheus API)")
    public Response labelValues(@PathParam("name") String name, @Context UriInfo uri) {
        TenantId tenant = caller.get().tenant();
        PrometheusParams params = PrometheusParams.of(uri.getQueryParameters(), null);
        return PrometheusResponses.run(() -> {
            if (!Labels.isValidLabelName(name)) {
                throw PrometheusApiException.badData("invalid label name: \"" + PrometheusParams.inert(name) + "\"");
            }
            long start = params.time("start", MIN_TIME);
            long end = params.time("end", MAX_TIME);
            List<List<Matcher>> selectors = selectors(params, false);
            TreeSet<String> values = new TreeSet<>();
            if (selectors.isEmpty()) {
                values.addAll(reader.labelValues(tenant, name, List.of(), start, end));
            }
            for (List<Matcher> matchers : selectors) {
                values.addAll(reader.labelValues(tenant, name, matchers, start, end));
            }
            return PrometheusJson.strings(limit(values, params));
        });
    }

    @GET
    @Path("/metadata")
    @Operation(summary = "Metric metadata (Prometheus API)")
    public Response metadata(@Context UriInfo uri) {
        TenantId tenant = caller.get().tenant();
        PrometheusParams params = PrometheusParams.of(uri.getQueryParameters(), null);
        return PrometheusResponses.run(() -> {
            int limit = intParam(params, "limit", -1);
            String metric = params.get("metric");
            Map<String, List<MetricMetadata>> byFamily = new TreeMap<>();
            for (MetricMetadata m : reader.metadata(tenant)) {
                if (metric != null && !metric.isEmpty() && !metric.equals(m.family())) {
                    continue;
                }
                if (limit >= 0 && byFamily.size() >= limit && !byFamily.containsKey(m.family())) {
                    break;
                }
                byFamily.computeIfAbsent(m.family(), f -> new ArrayList<>()).add(m);
            }
            return PrometheusJson.metadata(byFamily);
        });
    }

    @GET
    @Path("/status/buildinfo")
    @Operation(summary = "Build information (Prometheus API); the version is the Prometheus API level served")
    public Response buildInfo() {
        return PrometheusResponses.run(() -> {
            Map<String, String> info = new LinkedHashMap<>();
            // Grafana reads the version to decide which API features to use; we serve the 2.42 API.
            info.put("version", "2.42.0");
            info.put("revision", "nightjar");
            info.put("branch", "");
            info.put("buildUser", "");
            info.put("buildDate", "");
            info.put("goVersion", "");
            return PrometheusJson.object(info);
        });
    }

    private Response series(PrometheusParams params) {
        TenantId tenant = caller.get().tenant();
        return PrometheusResponses.run(() -> {
            List<List<Matcher>> selectors = selectors(params, true);
            if (selectors.isEmpty()) {
                throw PrometheusApiException.badData("no match[] parameter provided");
            }
            long start = params.time("start", MIN_TIME);
            long end = params.time("end", MAX_TIME);
            TreeSet<Labels> found = new TreeSet<>();
            for (List<Matcher> matchers : selectors) {
                for (Series s : reader.select(tenant, matchers, start, end)) {
                    found.add(s.labels());
                    limits.checkSeriesCount(found.size());
                }
            }
            return PrometheusJson.labelSets(new ArrayList<>(found));
        });
    }

    private Response labels(PrometheusParams params) {
        TenantId tenant = caller.get().tenant();
        return PrometheusResponses.run(() -> {
            long start = params.time("start", MIN_TIME);
            long end = params.time("end", MAX_TIME);
            List<List<Matcher>> selectors = selectors(params, false);
            TreeSet<String> names = new TreeSet<>();
            if (selectors.isEmpty()) {
                names.addAll(reader.labelNames(tenant, List.of(), start, end));
            }
            for (List<Matcher> matchers : selectors) {
                names.addAll(reader.labelNames(tenant, matchers, start, end));
            }
            return PrometheusJson.strings(limit(names, params));
        });
    }

    /** Parses every {@code match[]} as a plain series selector, as Prometheus does. */
    private List<List<Matcher>> selectors(PrometheusParams params, boolean required) {
        List<List<Matcher>> out = new ArrayList<>();
        for (String text : params.all("match[]")) {
            limits.checkQueryLength(text);
            Expr expr = PromqlEngine.parse(text);
            if (!(expr instanceof Expr.VectorSelector selector)) {
                throw PrometheusApiException.invalidParameter(
                        "match[]", "\"" + PrometheusParams.inert(text) + "\" is not a series selector");
            }
            if (selector.matchers().stream().allMatch(Matcher::matchesEmpty)) {
                throw PrometheusApiException.badData("match[] must contain at least one non-empty matcher");
            }
            out.add(selector.matchers());
        }
        if (required && out.isEmpty()) {
            throw PrometheusApiException.badData("no match[] parameter provided");
        }
        return out;
    }

    private List<String> limit(TreeSet<String> values, PrometheusParams params) {
        int limit = intParam(params, "limit", 0);
        List<String> list = new ArrayList<>(values);
        if (limit > 0 && list.size() > limit) {
            return list.subList(0, limit);
        }
        if (list.size() > limits.maxSeries() * 10) {
            throw PrometheusApiException.badData("the answer would have more than " + limits.maxSeries() * 10
                    + " values; add match[] selectors or a limit");
        }
        return list;
    }

    private static int intParam(PrometheusParams params, String name, int fallback) {
        String text = params.get(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw PrometheusApiException.invalidParameter(
                    name, "cannot parse \"" + PrometheusParams.inert(text) + "\"");
        }
    }
}
