package dev.nightjar.core.metrics;

import dev.nightjar.core.TenantId;
import java.util.List;
import java.util.Optional;

/** Reads one tenant's series. Times are inclusive milliseconds since the epoch. */
public interface MetricsReader {

    /**
     * The series matching every matcher that have at least one sample in {@code [mint, maxt]}, sorted by
     * labels; each iterates only samples in that range. At least one matcher must not match the empty
     * string (as in Prometheus), so a query cannot scan a whole tenant by accident.
     */
    List<Series> select(TenantId tenant, List<Matcher> matchers, long mint, long maxt);

    /** Sorted label names of series matching {@code matchers} (all series when empty) in the range. */
    List<String> labelNames(TenantId tenant, List<Matcher> matchers, long mint, long maxt);

    /** Sorted values of one label over series matching {@code matchers} in the range. */
    List<String> labelValues(TenantId tenant, String name, List<Matcher> matchers, long mint, long maxt);

    /** Metadata of every family, sorted by family name. */
    List<MetricMetadata> metadata(TenantId tenant);

    default Optional<MetricMetadata> metadata(TenantId tenant, String family) {
        return metadata(tenant).stream().filter(m -> m.family().equals(family)).findFirst();
    }
}
