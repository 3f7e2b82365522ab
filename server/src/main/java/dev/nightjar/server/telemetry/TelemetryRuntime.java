package dev.nightjar.server.telemetry;

import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.otlp.OtlpExports;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import dev.nightjar.storage.lucene.LuceneStorage;
import dev.nightjar.storage.lucene.LuceneStorageConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Opens the logs and traces datastore (Lucene under {@code <data-dir>/storage}) and the ingest WAL
 * ({@code <data-dir>/wal}), replays the WAL into the store before traffic arrives, runs checkpoints and
 * retention, and shuts down in order: receivers stop, the WAL is checkpointed and closed, the store
 * commits and closes. The store commits only when the WAL checkpoints, so the two never disagree.
 */
@Startup
@ApplicationScoped
class TelemetryRuntime {
    private static final Logger LOG = Logger.getLogger(TelemetryRuntime.class);

    private final TelemetrySettings settings;
    private final StorageComponent storage;
    private final TelemetryIngest ingest;
    private final ThreadPoolExecutor exportPool;
    private final ScheduledExecutorService maintenance;
    private final OtlpReceivers receivers;

    TelemetryRuntime(MeterRegistry meters, IngestKeyAuthenticator authenticator, MetricsWriter metricsWriter) {
        this.settings = TelemetrySettings.from(ConfigProvider.getConfig());
        long started = System.nanoTime();
        this.storage = new LuceneStorage(LuceneStorageConfig.defaults(settings.storageDir())
                .withCommitInterval(null)
                .withMinFreeDiskBytes(settings.minFreeDiskBytes())
                .withLogCompactionInterval(settings.logCompactionInterval())
                .withLogCompactionDelay(settings.logCompactionDelay()));
        WriteAheadLog wal = WriteAheadLog.open(settings.walDir(), WalOptions.DEFAULTS, meters);
        IngestMetrics metrics = new IngestMetrics(meters);
        this.ingest = new TelemetryIngest(storage, wal, settings.limits(), metrics);
        ingest.recover();
        LOG.infof(
                "telemetry store open at %s, WAL at %s (%d ms)",
                settings.storageDir(), settings.walDir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        this.exportPool = new ThreadPoolExecutor(
                settings.exportThreads(),
                settings.exportThreads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.exportQueue()),
                Thread.ofPlatform().name("otlp-export-", 0).daemon(true).factory());
        meters.gauge(
                "nightjar.ingest.queue.depth", exportPool, p -> p.getQueue().size());
        this.receivers = new OtlpReceivers(
                new OtlpExports(ingest, authenticator, settings.limits(), metrics, metricsWriter),
                exportPool,
                settings);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("telemetry-maintenance").daemon(true).factory());
        maintenance.scheduleWithFixedDelay(this::checkpoint, 5, 5, TimeUnit.SECONDS);
        long retentionSeconds = settings.retentionInterval().toSeconds();
        maintenance.scheduleWithFixedDelay(this::applyRetention, 60, Math.max(60, retentionSeconds), TimeUnit.SECONDS);
    }

    @Produces
    @Singleton
    StorageComponent storage() {
        return storage;
    }

    TelemetrySettings settings() {
        return settings;
    }

    /** OTLP/HTTP on the main port as well ({@code /v1/logs}, {@code /v1/traces}). */
    void routes(@Observes Router router) {
        if (settings.ingestRole()) {
            receivers.route(router);
        }
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        if (settings.ingestRole()) {
            receivers.start(vertx);
        } else {
            LOG.info("ingest role is off: OTLP receivers not started");
        }
    }

    private void checkpoint() {
        try {
            ingest.checkpointIfDue(settings.checkpointInterval(), settings.checkpointBytes());
        } catch (RuntimeException e) {
            LOG.warnf("WAL checkpoint failed, retried in 5 s: %s", e.getMessage());
        }
    }

    private void applyRetention() {
        try {
            storage.applyRetention(settings.retention(), Instant.now()).forEach(r -> {
                if (r.unitsDeleted() > 0) {
                    LOG.infof(
                            "retention: tenant %s, data before %s removed (%d)",
                            r.tenant(), r.cutoff(), r.unitsDeleted());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("retention run failed, retried next interval: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        receivers.stop();
        exportPool.shutdown();
        try {
            exportPool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        maintenance.shutdownNow();
        ingest.close();
        storage.close();
        LOG.info("telemetry store and WAL closed");
    }
}
