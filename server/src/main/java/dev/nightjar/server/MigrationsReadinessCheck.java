package dev.nightjar.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/** Ready only when every migration shipped with this build has been applied. */
@Readiness
@ApplicationScoped
class MigrationsReadinessCheck implements HealthCheck {
    private final Flyway flyway;

    MigrationsReadinessCheck(Flyway flyway) {
        this.flyway = flyway;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("migrations");
        try {
            var info = flyway.info();
            MigrationInfo current = info.current();
            int pending = info.pending().length;
            response.withData(
                            "version",
                            current == null ? "none" : current.getVersion().getVersion())
                    .withData("pending", pending);
            return response.status(current != null && pending == 0).build();
        } catch (RuntimeException e) {
            return response.down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
