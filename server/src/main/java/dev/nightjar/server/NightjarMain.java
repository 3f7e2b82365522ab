package dev.nightjar.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
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
        StartupSettings settings = StartupSettings.fromEnvironment(System.getenv(), System.getProperties());
        Path dataDir = DataDirectory.prepare(settings.dataDir());
        System.setProperty("nightjar.data-dir", dataDir.toString());
        SessionKey.ensure(dataDir);
        EmbeddedDatabase database = settings.externalDatabase() ? null : EmbeddedDatabase.start(dataDir);
        if (database != null) {
            database.exportDatasourceProperties();
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
