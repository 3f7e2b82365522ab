package dev.nightjar.webapp.logs;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fields the explorer offers facets and value suggestions for, and how their top values load. */
final class Facets {
    static final List<String> FIELDS = List.of("service.name", "host.name", "k8s.namespace.name", "severity_text");
    static final int VALUES_PER_FACET = 6;

    private Facets() {}

    /** Top values of each facet field among the records the filter matches; fields without values are left out. */
    static Map<String, List<ValueCount>> load(LogReader reader, TenantId tenant, LogFilter filter) {
        Map<String, List<ValueCount>> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (BackgroundQuery.cancelled()) {
                break;
            }
            List<ValueCount> values =
                    reader.topValues(tenant, new TopValuesQuery(filter, FieldNames.resolve(field), VALUES_PER_FACET));
            if (!values.isEmpty()) {
                out.put(field, values);
            }
        }
        return out;
    }
}
