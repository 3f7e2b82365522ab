package dev.nightjar.server.metrics;

import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.storage.tsdb.Tsdb;
import dev.nightjar.storage.tsdb.TsdbOptions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Opens the embedded TSDB under {@code <data-dir>/storage/metrics} at start-up (replaying its WAL before
 * the server takes traffic), hands it out as the metrics reader and writer, runs its block cutting,
 * compaction and retention once a minute, and closes it on shutdown so the WAL ends cleanly.
 */
@Startup
@ApplicationScoped
class MetricsStoreProducer {
    private static final Logger LOG = Logger.getLogger(MetricsStoreProducer.class);

    private final Tsdb tsdb;
    private final Path directory;
    private final ScheduledExecutorService maintenance;

    MetricsStoreProducer(
            @ConfigProperty(name = "nightjar.data-dir") Path dataDir,
            @ConfigProperty(name = "nightjar.metrics.max-series-per-tenant", defaultValue = "1000000")
                    long maxSeriesPerTenant,
            @ConfigProperty(name = "nightjar.metrics.retention", defaultValue = "15d") String retention,
            @ConfigProperty(name = "nightjar.metrics.out-of-order-window", defaultValue = "1h") String window) {
        this.directory = dataDir.resolve("storage").resolve("metrics");
        Duration keep = ConfigDurations.parse("nightjar.metrics.retention", retention);
        Duration late = ConfigDurations.parse("nightjar.metrics.out-of-order-window", window);
        if (late.compareTo(TsdbOptions.DEFAULT.blockRange()) > 0) {
            // Samples behind the newest cut block are refused whatever the window says.
            throw new IllegalArgumentException("nightjar.metrics.out-of-order-window must be at most the block range ("
                    + TsdbOptions.DEFAULT.blockRange() + "): " + window);
        }
        TsdbOptions options = TsdbOptions.DEFAULT
                .withLimits(MetricsLimits.DEFAULT
                        .withMaxSeriesPerTenant(maxSeriesPerTenant)
                        .withOutOfOrderWindow(late))
                .withRetention(tenant -> keep);
        long started = System.nanoTime();
        this.tsdb = Tsdb.open(directory, options);
        LOG.infof(
                "metrics store open at %s in %d ms (%d WAL repairs)",
                directory,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                tsdb.walRepairs().size());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("metrics-maintenance").daemon(true).factory());
        maintenance.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.MINUTES);
    }

    private void maintain() {
        try {
            tsdb.maintain();
        } catch (RuntimeException e) {
            // Keep the schedule alive: a failed compaction is retried next minute, the head keeps serving.
            LOG.warnf("metrics store maintenance failed: %s", e.getMessage());
        }
    }

    /** One bean for the store; its types include {@link MetricsReader} and {@link MetricsWriter}. */
    @Produces
    @Singleton
    MetricsStore store() {
        return tsdb;
    }

    Path directory() {
        return directory;
    }

    void onStop(@Observes ShutdownEvent event) {
        maintenance.shutdownNow();
        tsdb.close();
        LOG.info("metrics store closed");
    }
}
