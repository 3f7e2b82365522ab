package dev.nightjar.webapp.traces;

import com.vaadin.flow.router.QueryParameters;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.StatusCode;
import dev.nightjar.webapp.logs.LogQueryParser;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the trace search form asks for, as it travels in the URL ({@code ?service=…&operation=…&min=…
 * &max=…&status=…&attrs=…}) so a search can be linked. Blank means "any".
 */
record TraceCriteria(String service, String operation, String min, String max, String status, String attrs) {
    static final TraceCriteria ANY = new TraceCriteria("", "", "", "", "", "");
    private static final int MAX_PARAM = 4096;

    TraceCriteria {
        service = clean(service);
        operation = clean(operation);
        min = clean(min);
        max = clean(max);
        status = clean(status);
        attrs = clean(attrs);
    }

    static TraceCriteria fromQuery(QueryParameters params) {
        return new TraceCriteria(
                param(params, "service"),
                param(params, "operation"),
                param(params, "min"),
                param(params, "max"),
                param(params, "status"),
                param(params, "attrs"));
    }

    /** Adds the non-blank criteria to {@code params}. */
    void putInto(Map<String, String> params) {
        put(params, "service", service);
        put(params, "operation", operation);
        put(params, "min", min);
        put(params, "max", max);
        put(params, "status", status);
        put(params, "attrs", attrs);
    }

    /** The span query over {@code range}; {@link IllegalArgumentException} with a message for the user. */
    SpanQuery toSpanQuery(TimeRange range) {
        SpanQuery.Builder b = SpanQuery.builder(range).limit(TraceSearch.SPAN_LIMIT);
        if (!service.isEmpty()) {
            b.service(service);
        }
        if (!operation.isEmpty()) {
            b.spanName(operation);
        }
        Duration minDuration = DurationText.parse(min);
        Duration maxDuration = DurationText.parse(max);
        b.minDuration(minDuration).maxDuration(maxDuration);
        if (!status.isEmpty()) {
            try {
                b.status(StatusCode.valueOf(status.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("status is ok, error or unset");
            }
        }
        List<AttributeFilter> filters = LogQueryParser.parseFilters(attrs);
        for (AttributeFilter f : filters) {
            if (f.field().scope() == FieldRef.Scope.INTRINSIC) {
                throw new IllegalArgumentException(f.field() + " is a log field; spans filter on attributes");
            }
            b.filter(f);
        }
        return b.build();
    }

    private static String param(QueryParameters params, String name) {
        return params.getSingleParameter(name).orElse("");
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (!value.isEmpty()) {
            params.put(name, value);
        }
    }

    private static String clean(String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        return v.length() > MAX_PARAM ? v.substring(0, MAX_PARAM) : v;
    }
}
