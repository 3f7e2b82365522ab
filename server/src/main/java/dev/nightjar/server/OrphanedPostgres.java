package dev.nightjar.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stops an embedded PostgreSQL left running by a Nightjar that was killed (kill -9, OOM killer): it
 * would otherwise hold the data directory and make every restart fail. Only called while this process
 * holds the {@link DataDirectoryLock}, so the server found there cannot belong to a live Nightjar.
 */
final class OrphanedPostgres {
    private static final Logger LOG = Logger.getLogger(OrphanedPostgres.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private OrphanedPostgres() {}

    static void stop(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = Files.readAllLines(pidFile).stream()
                .findFirst()
                .map(String::strip)
                .filter(line -> line.matches("\\d{1,10}"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return; // a stale pid file: PostgreSQL itself copes with it
        }
        LOG.warnf(
                "stopping the embedded PostgreSQL (pid %d) left running by a previous Nightjar",
                postmaster.get().pid());
        // SIGTERM is PostgreSQL's "smart" shutdown; with no clients left it ends promptly and cleanly.
        postmaster.get().destroy();
        Instant deadline = Instant.now().plus(WAIT);
        while (postmaster.get().isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (postmaster.get().isAlive()) {
            throw new IOException("the orphaned embedded PostgreSQL (pid "
                    + postmaster.get().pid() + ") did not stop within " + WAIT.toSeconds() + " s");
        }
    }
}
