package dev.nightjar.server;

import dev.nightjar.db.identity.ApiKeys;
import dev.nightjar.db.identity.FirstStart;
import dev.nightjar.db.identity.Scope;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Lets {@code ./nightjar run} start a node sensor beside the server: the script writes a random key to
 * a file, and the server makes sure an ingest-only key with that secret exists in the default tenant.
 * The secret never passes through a command line or a log.
 */
@ApplicationScoped
class LocalSensorKey {
    private static final Logger LOG = Logger.getLogger(LocalSensorKey.class);
    static final String KEY_NAME = "local node sensor";

    private final FirstStart firstStart;
    private final ApiKeys apiKeys;
    private final Optional<Path> keyFile;

    LocalSensorKey(
            FirstStart firstStart,
            ApiKeys apiKeys,
            @ConfigProperty(name = "nightjar.local-sensor.key-file") Optional<Path> keyFile) {
        this.firstStart = firstStart;
        this.apiKeys = apiKeys;
        this.keyFile = keyFile;
    }

    // After first-start bootstrap, which creates the default tenant.
    void onStart(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        keyFile.ifPresent(this::ensureKey);
    }

    private void ensureKey(Path file) {
        try {
            String secret = Files.readString(file).strip();
            if (apiKeys.verify(secret).isPresent()) {
                return;
            }
            var tenant = firstStart.defaultTenant().orElseThrow();
            apiKeys.createWithSecret(tenant, KEY_NAME, EnumSet.of(Scope.INGEST), secret);
            LOG.infof("created the ingest key for the local node sensor from %s", file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("local node sensor key not set up from %s: %s", file, e.getMessage());
        }
    }
}
