package dev.nightjar.server.metrics;

import dev.nightjar.promql.EngineOptions;
import dev.nightjar.promql.PromqlEngine;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The process' one PromQL engine, with the operator's time and memory budget per query. */
@Singleton
class PromqlEngineProducer {

    @Produces
    @Singleton
    PromqlEngine engine(
            @ConfigProperty(name = "nightjar.promql.timeout", defaultValue = "2m") String timeout,
            @ConfigProperty(name = "nightjar.promql.max-samples", defaultValue = "50000000") long maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("nightjar.promql.max-samples must be positive, got " + maxSamples);
        }
        return new PromqlEngine(EngineOptions.DEFAULT
                .withTimeout(ConfigDurations.parse("nightjar.promql.timeout", timeout))
                .withMaxSamples(maxSamples));
    }
}
