package dev.nightjar.server;

import dev.nightjar.api.servicemap.DependencyHealthSeries;
import dev.nightjar.api.servicemap.ServiceMaps;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.db.identity.Tenants;
import dev.nightjar.promql.PromqlEngine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns each tenant's dependency health (computed from the node sensor's series, as the service map does)
 * into metric series in that tenant's own store, every {@code nightjar.dependency-health.interval}, so the
 * scores can be graphed and alerted on with PromQL. Runs with the alerting role: in a scaled-out
 * deployment that is one instance, so the scores are written once.
 */
@ApplicationScoped
class DependencyHealthJob {
    private static final Logger LOG = Logger.getLogger(DependencyHealthJob.class);
    /** Tenants scored per run; beyond it the rest wait (logged), so one run stays bounded. */
    static final int MAX_TENANTS = 10_000;

    private final Tenants tenants;
    private final MetricsStore store;
    private final PromqlEngine engine;
    private final RoleSwitch roles;
    private final Duration interval;
    private final Duration window;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    DependencyHealthJob(
            Tenants tenants,
            MetricsStore store,
            PromqlEngine engine,
            RoleSwitch roles,
            @ConfigProperty(name = "nightjar.dependency-health.interval", defaultValue = "30s") Duration interval,
            @ConfigProperty(name = "nightjar.dependency-health.window", defaultValue = "5m") Duration window) {
        if (window.compareTo(ServiceMaps.MIN_RANGE) < 0 || window.compareTo(ServiceMaps.MAX_RANGE) > 0) {
            throw new IllegalArgumentException("nightjar.dependency-health.window must be between "
                    + ServiceMaps.MIN_RANGE + " and " + ServiceMaps.MAX_RANGE + ", got " + window);
        }
        this.tenants = tenants;
        this.store = store;
        this.engine = engine;
        this.roles = roles;
        this.interval = interval;
        this.window = window;
    }

    void onStart(@Observes StartupEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("dependency health series are off (nightjar.dependency-health.interval <= 0)");
            return;
        }
        if (!roles.enabled(ServerRole.ALERTING)) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("dependency-health").daemon(true).factory());
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One pass over the tenants; a failing tenant is logged and the others still get their scores. */
    void runOnce() {
        long now = clock.millis();
        java.util.List<TenantId> ids;
        try {
            ids = tenants.ids(MAX_TENANTS + 1);
        } catch (RuntimeException e) {
            LOG.warnf("dependency health: cannot list tenants: %s", e.getMessage());
            return;
        }
        if (ids.size() > MAX_TENANTS) {
            LOG.warnf("dependency health: more than %d tenants, scoring the first %d", MAX_TENANTS, MAX_TENANTS);
            ids = ids.subList(0, MAX_TENANTS);
        }
        for (TenantId tenant : ids) {
            try {
                // Built and written with this tenant's id only: no other tenant's series can enter.
                MetricsBatch batch = DependencyHealthSeries.of(
                        ServiceMaps.build(engine, store, tenant, now - window.toMillis(), now), now);
                if (!batch.series().isEmpty()) {
                    store.append(tenant, batch);
                }
            } catch (RuntimeException e) {
                LOG.warnf("dependency health for tenant %s failed: %s", tenant, e.getMessage());
            }
        }
    }
}
