package dev.nightjar.storage.lucene;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.LogWriter;
import dev.nightjar.core.telemetry.CheckResult;
import dev.nightjar.core.telemetry.RetentionPolicy;
import dev.nightjar.core.telemetry.RetentionResult;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.StorageException;
import dev.nightjar.core.telemetry.StorageOverCapacityException;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.core.traces.SpanWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * The embedded datastore for logs and spans on Lucene: one index per tenant, signal and time partition
 * under {@code <base>/tenants/<tenant>/<logs|spans>/<partition start>/}. See the module README for the
 * layout, the fields, and the visibility and durability contract.
 *
 * <p>Construct with {@code new LuceneStorage(LuceneStorageConfig.defaults(baseDir))}; close it on shutdown
 * (close commits).
 */
public final class LuceneStorage implements StorageComponent {

    private static final Logger LOG = Logger.getLogger(LuceneStorage.class.getName());

    private final LuceneStorageConfig config;
    private final Path tenantsDir;
    private final long partitionNanos;
    private final Map<String, PartitionSet> sets = new ConcurrentHashMap<>();
    private final LuceneLogs logs = new LuceneLogs(this);
    private final LuceneSpans spans = new LuceneSpans(this);
    private final ScheduledExecutorService background;
    private final LogCompactor compactor;
    /** Record ids: the open time in ms shifted left 20 bits plus a counter, so ids grow across restarts. */
    private final AtomicLong ids;

    private volatile boolean closed;
    private volatile long freeDiskBytes = Long.MAX_VALUE;
    private volatile long freeDiskCheckedAt;
    private volatile Throwable lastBackgroundFailure;

    public LuceneStorage(Path baseDirectory) {
        this(LuceneStorageConfig.defaults(baseDirectory));
    }

    public LuceneStorage(LuceneStorageConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.partitionNanos = config.partitionSize().toNanos();
        this.tenantsDir = config.baseDirectory().resolve("tenants");
        try {
            Files.createDirectories(tenantsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tenantsDir, e);
        }
        this.ids = new AtomicLong(System.currentTimeMillis() << 20);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightjar-lucene-refresh");
            t.setDaemon(true);
            return t;
        });
        long refreshMs = config.refreshInterval().toMillis();
        background.scheduleWithFixedDelay(this::refreshDirty, refreshMs, refreshMs, TimeUnit.MILLISECONDS);
        if (config.partitionIdleTimeout() != null) {
            long idleMs = config.partitionIdleTimeout().toMillis();
            long everyMs = Math.min(60_000, Math.max(1000, idleMs / 2));
            background.scheduleWithFixedDelay(this::closeIdle, everyMs, everyMs, TimeUnit.MILLISECONDS);
        }
        if (config.commitInterval() != null) {
            long commitMs = config.commitInterval().toMillis();
            background.scheduleWithFixedDelay(this::backgroundCommit, commitMs, commitMs, TimeUnit.MILLISECONDS);
        }
        this.compactor = new LogCompactor(
                this, config.logCompactionInterval(), config.logCompactionDelay(), e -> lastBackgroundFailure = e);
    }

    /**
     * Merges the small log blocks whose newest record is older than {@code olderThan}, in every log partition
     * of the tenants this store has opened (see {@link LogCompaction}); readers see the old or the merged
     * blocks, never both. Like writes, the merges become durable with the next {@link #commit()}.
     */
    public LogCompactionResult compactLogs(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        ensureOpen();
        try {
            return compactor.compact(logPartitions(false), olderThan);
        } catch (IOException e) {
            throw failure("log compaction failed", e);
        }
    }

    /** The log partitions of every tenant this store has opened; only the open ones when {@code openOnly}. */
    List<Partition> logPartitions(boolean openOnly) throws IOException {
        List<Partition> out = new ArrayList<>();
        for (PartitionSet s : sets.values()) {
            if (s.signal() == Signal.LOGS) {
                out.addAll(openOnly ? s.openPartitions() : s.all());
            }
        }
        return out;
    }

    public LuceneStorageConfig config() {
        return config;
    }

    @Override
    public LogWriter logWriter() {
        return logs;
    }

    @Override
    public LogReader logReader() {
        return logs;
    }

    @Override
    public SpanWriter spanWriter() {
        return spans;
    }

    @Override
    public SpanReader spanReader() {
        return spans;
    }

    // ---- partitions ----

    PartitionSet partitions(TenantId tenant, Signal signal) {
        Objects.requireNonNull(tenant, "tenant");
        ensureOpen();
        return sets.computeIfAbsent(
                tenant + "/" + signal.dirName,
                k -> new PartitionSet(
                        tenantsDir.resolve(tenant.toString()).resolve(signal.dirName),
                        signal,
                        partitionNanos,
                        config.ramBufferMb()));
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** The first of {@code n} consecutive fresh ids (a log block numbers its records with them). */
    long reserveIds(int n) {
        return ids.getAndAdd(n) + 1;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
    }

    /** Refuses a write (nothing written) when the disk is nearly full. */
    void beforeWrite() {
        ensureOpen();
        long now = System.nanoTime();
        if (now - freeDiskCheckedAt > 1_000_000_000L) {
            try {
                freeDiskBytes = Files.getFileStore(tenantsDir).getUsableSpace();
            } catch (IOException e) {
                freeDiskBytes = Long.MAX_VALUE;
            }
            freeDiskCheckedAt = now;
        }
        if (freeDiskBytes < config.minFreeDiskBytes()) {
            throw new StorageOverCapacityException(
                    "disk nearly full: " + freeDiskBytes + " bytes free, " + config.minFreeDiskBytes() + " reserved",
                    Duration.ofSeconds(30));
        }
    }

    static StorageException failure(String what, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No space left") || msg.contains("Disk quota")) {
            return new StorageOverCapacityException(what + ": disk full", Duration.ofSeconds(30), e);
        }
        return new StorageException(what + ": " + e, e);
    }

    private List<Partition> openPartitions() {
        List<Partition> out = new ArrayList<>();
        for (PartitionSet s : sets.values()) {
            out.addAll(s.openPartitions());
        }
        return out;
    }

    private void refreshDirty() {
        for (Partition p : openPartitions()) {
            try {
                p.refreshIfDirty();
            } catch (AlreadyClosedException e) {
                // deleted or closing
            } catch (IOException | RuntimeException e) {
                lastBackgroundFailure = e;
                LOG.log(Level.WARNING, "refresh of " + p.path + " failed", e);
            }
        }
    }

    private void closeIdle() {
        long idleNanos = config.partitionIdleTimeout().toNanos();
        for (PartitionSet s : sets.values()) {
            try {
                s.closeIdle(idleNanos);
            } catch (IOException | RuntimeException e) {
                lastBackgroundFailure = e;
                LOG.log(Level.WARNING, "closing idle partitions failed", e);
            }
        }
    }

    /** How many partition indexes are open now (for tests and the product's own metrics). */
    public int openPartitionCount() {
        int n = 0;
        for (PartitionSet s : sets.values()) {
            n += s.openPartitions().size();
        }
        return n;
    }

    private void backgroundCommit() {
        try {
            commit();
        } catch (IllegalStateException e) {
            // closed
        } catch (RuntimeException e) {
            lastBackgroundFailure = e;
            LOG.log(Level.WARNING, "background commit failed", e);
        }
    }

    // ---- StorageComponent ----

    @Override
    public CheckResult check() {
        if (closed) {
            return CheckResult.failed("storage is closed");
        }
        for (Partition p : openPartitions()) {
            Throwable tragic = p.writer.getTragicException();
            if (tragic != null) {
                return CheckResult.failed("index " + p.path + " failed: " + tragic);
            }
        }
        try {
            long free = Files.getFileStore(tenantsDir).getUsableSpace();
            if (free < config.minFreeDiskBytes()) {
                return CheckResult.failed("disk nearly full: " + free + " bytes free");
            }
        } catch (IOException e) {
            return CheckResult.failed("cannot read disk space: " + e);
        }
        Throwable bg = lastBackgroundFailure;
        return bg == null ? CheckResult.OK : new CheckResult(true, "ok; last background failure: " + bg);
    }

    @Override
    public void flush() {
        ensureOpen();
        // A refresh writes the partition's in-memory segments on the calling thread: partitions are refreshed
        // side by side (the caller and the common pool) rather than one waiting for the other.
        Queue<IOException> failed = new ConcurrentLinkedQueue<>();
        openPartitions().parallelStream().forEach(p -> {
            try {
                p.refreshNow();
            } catch (AlreadyClosedException e) {
                // deleted by retention
            } catch (IOException e) {
                failed.add(e);
            }
        });
        if (!failed.isEmpty()) {
            throw failure("refresh failed", failed.peek());
        }
    }

    @Override
    public void commit() {
        ensureOpen();
        for (Partition p : openPartitions()) {
            try {
                p.commit();
            } catch (AlreadyClosedException e) {
                // deleted by retention: nothing left to make durable
            } catch (IOException e) {
                throw failure("commit failed", e);
            }
        }
    }

    @Override
    public RetentionResult applyRetention(TenantId tenant, Duration retention, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        RetentionPolicy.checkRetention(retention);
        Objects.requireNonNull(now, "now");
        Instant cutoff = now.minus(retention);
        long cutoffNanos = cutoff.isBefore(Instant.EPOCH) ? 0 : Timestamps.toNanos(cutoff);
        long deleted = 0;
        try {
            for (Signal signal : Signal.values()) {
                deleted += partitions(tenant, signal).deleteEndingBy(cutoffNanos);
            }
        } catch (IOException e) {
            throw failure("retention failed", e);
        }
        return new RetentionResult(tenant, cutoff, deleted);
    }

    @Override
    public List<RetentionResult> applyRetention(RetentionPolicy policy, Instant now) {
        Objects.requireNonNull(policy, "policy");
        ensureOpen();
        List<RetentionResult> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(tenantsDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                TenantId tenant;
                try {
                    tenant = TenantId.parse(dir.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    continue; // not a tenant directory
                }
                out.add(applyRetention(tenant, policy.retentionFor(tenant), now));
            }
        } catch (IOException e) {
            throw failure("retention failed", e);
        }
        return out;
    }

    @Override
    public Duration retentionGranularity() {
        return config.partitionSize();
    }

    /** Closes every index, committing what was written. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        background.shutdown();
        compactor.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
            compactor.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException first = null;
        for (PartitionSet s : sets.values()) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        sets.clear();
        if (first != null) {
            throw failure("close failed", first);
        }
    }
}
