package dev.nightjar.api.servicemap;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.promql.QueryResult.RangeSeries;
import dev.nightjar.promql.QueryResult.VectorSample;
import java.time.Duration;
import java.util.List;

/** Entry point shared by the REST resource and the dashboard: the service map of one tenant for a range. */
public final class ServiceMaps {
    public static final int MAX_NODES = 2_000;
    public static final Duration MAX_RANGE = Duration.ofDays(7);
    public static final Duration MIN_RANGE = Duration.ofSeconds(1);

    private ServiceMaps() {}

    /**
     * Builds the map from the engine's view of {@code tenant} only: every query goes through
     * {@link PromqlEngine} with that tenant, so another tenant's series cannot appear.
     *
     * @throws IllegalArgumentException when the range is empty, reversed or longer than {@link #MAX_RANGE}
     */
    public static ServiceMap build(PromqlEngine engine, MetricsReader reader, TenantId tenant, long fromMs, long toMs) {
        validate(fromMs, toMs);
        GraphQueries.Source source = new GraphQueries.Source() {
            @Override
            public List<VectorSample> instant(String query, long timeMs) {
                return switch (engine.instantQuery(reader, tenant, query, timeMs)) {
                    case QueryResult.VectorResult v -> v.samples();
                    default -> List.of();
                };
            }

            @Override
            public List<RangeSeries> range(String query, long startMs, long endMs, long stepMs) {
                return engine.rangeQuery(reader, tenant, query, startMs, endMs, stepMs)
                        .series();
            }
        };
        return new ServiceGraphBuilder(source, MAX_NODES).build(fromMs, toMs);
    }

    static void validate(long fromMs, long toMs) {
        if (toMs <= fromMs) {
            throw new IllegalArgumentException("'to' must be after 'from'");
        }
        if (toMs - fromMs < MIN_RANGE.toMillis()) {
            throw new IllegalArgumentException("the range must be at least 1s");
        }
        if (toMs - fromMs > MAX_RANGE.toMillis()) {
            throw new IllegalArgumentException("the range may be at most " + MAX_RANGE.toDays() + " days");
        }
    }
}
