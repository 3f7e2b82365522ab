package dev.nightjar.server;

import dev.nightjar.db.identity.FirstStart;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.PrintStream;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bootstraps the default tenant, admin and ingest key on the very first start and prints them once,
 * to standard output only (never to the log, which may be shipped elsewhere).
 */
@ApplicationScoped
class FirstStartBanner {
    private final FirstStart firstStart;
    private final Optional<String> adminPassword;
    private final Optional<String> apiKey;
    private final int httpPort;
    private final String otlpHttpEndpoint;

    FirstStartBanner(
            FirstStart firstStart,
            @ConfigProperty(name = "nightjar.bootstrap.admin-password") Optional<String> adminPassword,
            @ConfigProperty(name = "nightjar.bootstrap.api-key") Optional<String> apiKey,
            @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.firstStart = firstStart;
        this.adminPassword = adminPassword;
        this.apiKey = apiKey;
        this.httpPort = httpPort;
        // The main port serves logs, traces and metrics under /v1/; the dedicated OTLP port only the first two.
        this.otlpHttpEndpoint = "http://localhost:" + httpPort;
    }

    void onStart(@Observes StartupEvent event) {
        firstStart
                .bootstrapIfNeeded(new FirstStart.Overrides(adminPassword, apiKey))
                .ifPresent(credentials -> print(credentials, System.out));
    }

    void print(FirstStart.Credentials credentials, PrintStream out) {
        String dashboard = "http://localhost:" + httpPort + "/";
        out.println();
        out.println("==================== Nightjar first start ====================");
        out.println(" Dashboard:      " + dashboard);
        out.println(" Username:       " + credentials.adminUsername());
        out.println(" Password:       " + credentials.adminPassword());
        out.println(" API key:        " + credentials.apiKey().secret());
        out.println(" Key scopes:     " + credentials.apiKey().key().scopes());
        out.println(" Send telemetry: OTEL_EXPORTER_OTLP_ENDPOINT=" + otlpHttpEndpoint);
        out.println("                 OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer "
                + credentials.apiKey().secret() + "\"");
        out.println(" These are shown only once. Store them now.");
        out.println("==============================================================");
        out.println();
        out.flush();
    }
}
