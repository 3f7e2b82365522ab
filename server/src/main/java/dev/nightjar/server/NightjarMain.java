package dev.nightjar.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Starts Nightjar. Before Quarkus boots it settles the data directory and, unless an external
 * PostgreSQL is configured, starts the embedded one there, so the datasource is known when Quarkus
 * reads its configuration.
 */
@QuarkusMain
public final class NightjarMain {
    private NightjarMain() {}

    public static void main(String... args) {
        EmbeddedDatabase database;
        try {
            StartupSettings settings = StartupSettings.fromEnvironment(System.getenv(), System.getProperties());
            Path dataDir = DataDirectory.prepare(settings.dataDir());
            DataDirectoryLock.acquire(dataDir);
            System.setProperty("nightjar.data-dir", dataDir.toString());
            SessionKey.ensure(dataDir);
            database = settings.externalDatabase() ? null : EmbeddedDatabase.start(dataDir);
            if (database != null) {
                database.exportDatasourceProperties();
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            // Problems an operator can fix get one clear line, not a stack trace.
            System.err.println("nightjar: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            System.exit(2);
            return;
        }
        try {
            Quarkus.run(args);
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }
}
