package dev.nightjar.server.metrics;

import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.core.metrics.MetricsStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the metrics store can serve: remote_write must not be acknowledged into a dead store. */
@Readiness
@ApplicationScoped
class MetricsReadinessCheck implements HealthCheck {
    private final MetricsStore store;
    private final MetricsStoreProducer producer;

    MetricsReadinessCheck(MetricsStore store, MetricsStoreProducer producer) {
        this.store = store;
        this.producer = producer;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("metrics-store")
                .withData("directory", producer.directory().toString());
        try {
            store.check();
            return response.up().build();
        } catch (MetricsStoreException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
