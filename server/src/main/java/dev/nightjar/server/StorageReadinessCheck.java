package dev.nightjar.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the storage directory is writable and has room: ingest must fail closed rather
 * than accept what it cannot persist.
 */
@Readiness
@ApplicationScoped
class StorageReadinessCheck implements HealthCheck {
    private final Path storageDir;
    private final long minFreeBytes;

    StorageReadinessCheck(
            @ConfigProperty(name = "nightjar.data-dir") Path dataDir,
            @ConfigProperty(name = "nightjar.storage.min-free-bytes", defaultValue = "268435456") long minFreeBytes) {
        this.storageDir = dataDir.resolve(DataDirectory.STORAGE);
        this.minFreeBytes = minFreeBytes;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("storage").withData("directory", storageDir.toString());
        try {
            long free = Files.getFileStore(storageDir).getUsableSpace();
            response.withData("freeBytes", free);
            boolean writable = Files.isWritable(storageDir);
            return response.status(writable && free >= minFreeBytes).build();
        } catch (IOException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
