package dev.nightjar.api.logs;

import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogCursor;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogram;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.StorageComponent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/logs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Logs", description = "Search the caller's tenant's logs")
@RolesAllowed(Permissions.READ)
public class LogsResource {
    private final StorageComponent storage;
    private final CurrentCaller caller;
    private final QueryGuard guard;

    LogsResource(StorageComponent storage, CurrentCaller caller, QueryGuard guard) {
        this.storage = storage;
        this.caller = caller;
        this.guard = guard;
    }

    public record SearchResult(List<LogView> records, String next) {}

    public record HistogramBucket(String start, long total, Map<SeverityLevel, Long> counts) {}

    public record HistogramResult(String bucket, List<HistogramBucket> buckets) {}

    @GET
    @Operation(summary = "Log records matching the filters, newest first; page with the returned cursor")
    public SearchResult search(
            @Parameter(description = "ISO-8601 or epoch ms; default: end minus one hour") @QueryParam("start")
                    String start,
            @Parameter(description = "ISO-8601 or epoch ms; default: now") @QueryParam("end") String end,
            @Parameter(description = "full-text term the body must contain (repeatable)") @QueryParam("q")
                    List<String> terms,
            @Parameter(description = "field=value, e.g. resource.service.name=cart (repeatable)") @QueryParam("filter")
                    List<String> filters,
            @Parameter(description = "severity level (repeatable): TRACE..FATAL") @QueryParam("severity")
                    List<String> severities,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("cursor") String cursor) {
        TenantId tenant = caller.get().tenant();
        LogFilter filter = filter(start, end, terms, filters, severities);
        LogQuery query =
                new LogQuery(filter, limit, cursor == null || cursor.isBlank() ? null : LogCursor.decode(cursor));
        LogPage page = guard.run("logs.search", () -> storage.logReader().search(tenant, query));
        return new SearchResult(
                page.records().stream().map(LogView::of).toList(),
                page.nextCursor().map(LogCursor::encode).orElse(null));
    }

    @GET
    @Path("/histogram")
    @Operation(summary = "Counts of matching records per time bucket and severity")
    public HistogramResult histogram(
            @QueryParam("start") String start,
            @QueryParam("end") String end,
            @QueryParam("q") List<String> terms,
            @QueryParam("filter") List<String> filters,
            @QueryParam("severity") List<String> severities,
            @Parameter(description = "bucket width in seconds") @QueryParam("bucketSeconds") @DefaultValue("60")
                    long bucketSeconds) {
        TenantId tenant = caller.get().tenant();
        LogHistogramQuery query = new LogHistogramQuery(
                filter(start, end, terms, filters, severities), Duration.ofSeconds(bucketSeconds));
        LogHistogram h = guard.run("logs.histogram", () -> storage.logReader().histogram(tenant, query));
        return new HistogramResult(
                h.bucketWidth().toString(),
                h.buckets().stream()
                        .map(b -> new HistogramBucket(b.start().toString(), b.total(), b.counts()))
                        .toList());
    }

    @GET
    @Path("/top-values")
    @Operation(summary = "The most frequent values of a field among matching records")
    public List<ValueCount> topValues(
            @Parameter(description = "resource.<key>, attribute.<key> or severity_text, trace_id, span_id, scope.name")
                    @QueryParam("field")
                    String field,
            @QueryParam("start") String start,
            @QueryParam("end") String end,
            @QueryParam("q") List<String> terms,
            @QueryParam("filter") List<String> filters,
            @QueryParam("severity") List<String> severities,
            @QueryParam("limit") @DefaultValue("10") int limit) {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("field is required, e.g. field=resource.service.name");
        }
        TenantId tenant = caller.get().tenant();
        TopValuesQuery query =
                new TopValuesQuery(filter(start, end, terms, filters, severities), FieldRef.parse(field), limit);
        return guard.run("logs.top-values", () -> storage.logReader().topValues(tenant, query));
    }

    static LogFilter filter(
            String start, String end, List<String> terms, List<String> filters, List<String> severities) {
        LogFilter.Builder b = LogFilter.builder(QueryGuard.range(start, end));
        if (terms != null) {
            terms.forEach(b::term);
        }
        if (filters != null) {
            filters.forEach(f -> b.filter(AttributeFilter.parse(f)));
        }
        if (severities != null) {
            for (String s : severities) {
                try {
                    b.severity(SeverityLevel.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown severity '" + QueryGuard.abbreviate(s)
                            + "'; use TRACE, DEBUG, INFO, WARN, ERROR or FATAL");
                }
            }
        }
        return b.build();
    }
}
