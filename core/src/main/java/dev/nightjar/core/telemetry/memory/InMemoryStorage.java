package dev.nightjar.core.telemetry.memory;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.LogWriter;
import dev.nightjar.core.telemetry.CheckResult;
import dev.nightjar.core.telemetry.RetentionPolicy;
import dev.nightjar.core.telemetry.RetentionResult;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.core.traces.SpanWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference implementation of the storage SPI: every query is a linear scan over plain lists, so its
 * answers are easy to trust. For tests, demos and as the oracle other backends are checked against; it
 * keeps nothing across restarts. Holds at most {@code maxItems} records and spans in all (past that,
 * writes fail with {@link dev.nightjar.core.telemetry.StorageOverCapacityException}).
 */
public final class InMemoryStorage implements StorageComponent {

    public static final int DEFAULT_MAX_ITEMS = 5_000_000;

    private final Map<TenantId, TenantData> tenants = new ConcurrentHashMap<>();
    private final MemoryLogs logs;
    private final MemorySpans spans;
    private final Capacity capacity;
    private volatile boolean closed;

    public InMemoryStorage() {
        this(DEFAULT_MAX_ITEMS);
    }

    public InMemoryStorage(int maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be positive");
        }
        this.capacity = new Capacity(maxItems);
        this.logs = new MemoryLogs(this);
        this.spans = new MemorySpans(this);
    }

    TenantData tenant(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        ensureOpen();
        return tenants.computeIfAbsent(tenant, t -> new TenantData());
    }

    Capacity capacity() {
        return capacity;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
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

    @Override
    public CheckResult check() {
        return closed ? CheckResult.failed("storage is closed") : CheckResult.OK;
    }

    @Override
    public void flush() {
        ensureOpen();
    }

    @Override
    public void commit() {
        ensureOpen();
    }

    @Override
    public RetentionResult applyRetention(TenantId tenant, Duration retention, Instant now) {
        RetentionPolicy.checkRetention(retention);
        Objects.requireNonNull(now, "now");
        Instant cutoff = now.minus(retention);
        long cutoffNanos = Timestamps.toNanos(cutoff.isBefore(Instant.EPOCH) ? Instant.EPOCH : cutoff);
        TenantData data = tenant(tenant);
        long removed;
        synchronized (data) {
            removed = data.removeBefore(cutoffNanos);
        }
        capacity.release(removed);
        return new RetentionResult(tenant, cutoff, removed);
    }

    @Override
    public List<RetentionResult> applyRetention(RetentionPolicy policy, Instant now) {
        List<RetentionResult> out = new ArrayList<>();
        for (TenantId t : List.copyOf(tenants.keySet())) {
            out.add(applyRetention(t, policy.retentionFor(t), now));
        }
        return out;
    }

    @Override
    public Duration retentionGranularity() {
        return Duration.ZERO;
    }

    @Override
    public void close() {
        closed = true;
    }
}
