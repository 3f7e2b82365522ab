package dev.nightjar.storage.testkit.metrics;

import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;

class InMemoryMetricsStoreConformanceTest extends MetricsStoreConformanceTest {

    @Override
    protected MetricsStore open(MetricsLimits limits) {
        return new InMemoryMetricsStore(limits);
    }
}
