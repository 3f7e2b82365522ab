package dev.nightjar.storage.testkit.metrics;

import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;
import org.junit.jupiter.api.Nested;

/** The in-memory reference store runs the whole metrics conformance suite. */
class InMemoryMetricsStoreConformanceTest {

    static MetricsStore create(MetricsLimits limits) {
        return new InMemoryMetricsStore(limits);
    }

    @Nested
    class Queries extends MetricsQueryConformance {
        @Override
        protected MetricsStore open(MetricsLimits limits) {
            return create(limits);
        }
    }

    @Nested
    class Appends extends MetricsAppendConformance {
        @Override
        protected MetricsStore open(MetricsLimits limits) {
            return create(limits);
        }
    }
}
