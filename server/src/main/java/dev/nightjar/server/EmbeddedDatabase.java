package dev.nightjar.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * PostgreSQL from Maven Central's embedded binaries, under the data directory. The library's defaults
 * are made for throwaway test databases (fsync off); here it holds user data, so durability is on.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve(DataDirectory.POSTGRES);
        try {
            Files.createDirectories(pgData);
            OrphanedPostgres.stop(pgData);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(
                            dataDir.resolve("postgres-runtime").toFile())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            LOG.infof("embedded PostgreSQL started in %s on port %d", pgData, postgres.getPort());
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the embedded PostgreSQL in " + pgData
                            + " (is another Nightjar using this data directory?)",
                    e);
        }
    }

    /** Points Quarkus' datasource at this server; must run before Quarkus reads its configuration. */
    void exportDatasourceProperties() {
        System.setProperty("nightjar.db.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        System.setProperty("nightjar.db.user", "postgres");
        System.setProperty("nightjar.db.password", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
