package dev.nightjar.storage.tsdb;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.SeriesValidation;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Nightjar's embedded time-series database: one head, WAL and block set per tenant under
 * {@code <dir>/tenants/<tenant-id>/}. Open with {@link #open(Path, TsdbOptions)}; it replays every
 * tenant's WAL before returning.
 */
public final class Tsdb implements MetricsStore {

    private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());

    private final Path tenantsDir;
    private final TsdbOptions options;
    private final Map<TenantId, TenantDb> tenants = new ConcurrentHashMap<>();
    private final List<WalRepair> repairs = new ArrayList<>();
    private volatile boolean closed;
    // Block cuts, compaction and retention run here, off the append path; one thread for all tenants.
    private final Executor maintenance;
    private final ExecutorService ownedMaintenance;

    private Tsdb(Path dir, TsdbOptions options, Executor maintenance, ExecutorService owned) {
        this.tenantsDir = dir.resolve("tenants");
        this.options = options;
        this.maintenance = maintenance;
        this.ownedMaintenance = owned;
    }

    public static Tsdb open(Path dir, TsdbOptions options) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nightjar-tsdb-maintenance");
            t.setDaemon(true);
            return t;
        });
        try {
            return open(dir, options, thread, thread);
        } catch (RuntimeException e) {
            thread.shutdown();
            throw e;
        }
    }

    /** With the executor that runs due block cuts (tests pass one that holds them back). */
    static Tsdb open(Path dir, TsdbOptions options, Executor maintenance) {
        return open(dir, options, maintenance, null);
    }

    private static Tsdb open(Path dir, TsdbOptions options, Executor maintenance, ExecutorService owned) {
        Tsdb db = new Tsdb(dir, options, maintenance, owned);
        try {
            Files.createDirectories(db.tenantsDir);
            try (Stream<Path> entries = Files.list(db.tenantsDir)) {
                for (Path p : entries.toList()) {
                    TenantId tenant;
                    try {
                        tenant = TenantId.parse(p.getFileName().toString());
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    db.tenants.put(tenant, db.openTenant(tenant));
                }
            }
        } catch (IOException e) {
            throw new MetricsStoreException("cannot open metrics store at " + dir + ": " + e.getMessage(), false, e);
        }
        return db;
    }

    private TenantDb openTenant(TenantId tenant) throws IOException {
        TenantDb db = new TenantDb(tenant, tenantsDir.resolve(tenant.toString()), options, maintenance);
        for (Wal.Repair r : db.repairs) {
            WalRepair repair = new WalRepair(
                    tenant,
                    r.segment().getFileName().toString(),
                    r.offset(),
                    r.droppedBytes(),
                    r.droppedSegments(),
                    r.reason());
            LOG.log(Level.WARNING, "metrics WAL repaired: " + repair);
            synchronized (repairs) {
                repairs.add(repair);
            }
        }
        return db;
    }

    /** Torn or corrupt WAL tails cut off while opening, for operators and the store's own metrics. */
    public List<WalRepair> walRepairs() {
        synchronized (repairs) {
            return List.copyOf(repairs);
        }
    }

    private TenantDb tenant(TenantId tenant, boolean create) {
        ensureOpen();
        TenantDb db = tenants.get(tenant);
        if (db != null || !create) {
            return db;
        }
        return tenants.computeIfAbsent(tenant, t -> {
            try {
                return openTenant(t);
            } catch (IOException e) {
                throw new MetricsStoreException("cannot open metrics for tenant " + t + ": " + e.getMessage(), true, e);
            }
        });
    }

    @Override
    public AppendResult append(TenantId tenant, MetricsBatch batch) {
        // Labels are validated where a series is first created (TenantDb), before anything is stored:
        // a series already in the head passed then, and re-checking every series of every batch showed
        // as a sixth of the append path in profiles.
        return tenant(tenant, true).append(batch);
    }

    /** The remote_write path: samples arrive as primitive columns and are appended without objects. */
    @Override
    public AppendResult appendColumns(TenantId tenant, MetricsColumns columns) {
        return tenant(tenant, true).append(columns);
    }

    @Override
    public List<Series> select(TenantId tenant, List<Matcher> matchers, long mint, long maxt) {
        SeriesValidation.checkSelection(matchers);
        TenantDb db = tenant(tenant, false);
        return db == null ? List.of() : db.select(matchers, mint, maxt);
    }

    @Override
    public List<String> labelNames(TenantId tenant, List<Matcher> matchers, long mint, long maxt) {
        TenantDb db = tenant(tenant, false);
        if (db == null) {
            return List.of();
        }
        Set<String> names = new TreeSet<>();
        for (Labels labels : db.matchingLabels(matchers, mint, maxt)) {
            for (int i = 0; i < labels.size(); i++) {
                names.add(labels.name(i));
            }
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> labelValues(TenantId tenant, String name, List<Matcher> matchers, long mint, long maxt) {
        TenantDb db = tenant(tenant, false);
        if (db == null) {
            return List.of();
        }
        Set<String> values = new TreeSet<>();
        for (Labels labels : db.matchingLabels(matchers, mint, maxt)) {
            String v = labels.get(name);
            if (!v.isEmpty()) {
                values.add(v);
            }
        }
        return List.copyOf(values);
    }

    @Override
    public List<MetricMetadata> metadata(TenantId tenant) {
        TenantDb db = tenant(tenant, false);
        return db == null ? List.of() : db.metadata();
    }

    /**
     * Cuts due blocks, compacts and applies retention for every tenant now, waiting for a cut already
     * running. Appends queue the same work on a background thread as blocks fall due.
     */
    public void maintain() {
        for (TenantDb db : tenants.values()) {
            db.maintain();
        }
    }

    /** Writes every complete block range before {@code time} to disk now (tools and benchmarks). */
    public void flushBefore(TenantId tenant, long time) {
        TenantDb db = tenant(tenant, false);
        if (db != null) {
            db.flushBefore(time);
        }
    }

    public TsdbStats stats(TenantId tenant) {
        TenantDb db = tenant(tenant, false);
        return db == null ? new TsdbStats(0, 0, 0, 0, 0) : db.stats();
    }

    @Override
    public void check() {
        ensureOpen();
        if (!Files.isWritable(tenantsDir)) {
            throw new MetricsStoreException("metrics directory " + tenantsDir + " is not writable", true);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new MetricsStoreException("metrics store is closed", false);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (TenantDb db : tenants.values()) {
            try {
                db.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing metrics for tenant " + db.tenant + ": " + e.getMessage());
            }
        }
        tenants.clear();
        if (ownedMaintenance != null) {
            ownedMaintenance.shutdown();
        }
    }
}
