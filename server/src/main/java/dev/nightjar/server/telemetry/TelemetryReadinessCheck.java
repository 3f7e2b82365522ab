package dev.nightjar.server.telemetry;

import dev.nightjar.core.telemetry.CheckResult;
import dev.nightjar.core.telemetry.StorageComponent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the logs and traces store says it can serve reads and writes. */
@Readiness
@ApplicationScoped
class TelemetryReadinessCheck implements HealthCheck {
    private final StorageComponent storage;

    TelemetryReadinessCheck(StorageComponent storage) {
        this.storage = storage;
    }

    @Override
    public HealthCheckResponse call() {
        CheckResult result = storage.check();
        return HealthCheckResponse.named("telemetry-store")
                .withData("detail", result.detail())
                .status(result.ok())
                .build();
    }
}
