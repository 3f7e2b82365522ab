package dev.nightjar.core.telemetry;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.LogWriter;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.core.traces.SpanWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A telemetry datastore for logs and spans (in the manner of zipkin's {@code StorageComponent}). Every
 * read and write takes a {@link TenantId}; nothing reads across tenants.
 *
 * <h2>Visibility and durability contract</h2>
 *
 * <ul>
 *   <li>A write that returned is visible to readers after {@link #flush()} returns, and without it
 *       after at most the backend's refresh interval (Lucene: 1 s by default).
 *   <li>A write that returned before {@link #commit()} was called is durable when {@code commit()}
 *       returns: it survives a crash of the process. The ingest WAL may therefore be truncated up to
 *       the position it had reached when it called {@code commit()}. Writes running concurrently with
 *       {@code commit()} may or may not be covered; replaying them after a crash is at-least-once.
 *   <li>{@link #close()} commits, then releases files. Calls after close throw {@link
 *       IllegalStateException}.
 * </ul>
 */
public interface StorageComponent extends AutoCloseable {

    LogWriter logWriter();

    LogReader logReader();

    SpanWriter spanWriter();

    SpanReader spanReader();

    /** Whether the store can serve reads and writes now; never throws. */
    CheckResult check();

    /** Makes every write that has returned visible to readers. */
    void flush();

    /** Makes every write that returned before this call durable (see the class contract). */
    void commit();

    /**
     * Deletes the tenant's logs and spans older than {@code now - retention}. Afterwards every record at
     * or after the cutoff is still there, and every record before {@code cutoff - }{@link
     * #retentionGranularity()} is gone; in between the backend may keep data until a whole partition
     * expires.
     */
    RetentionResult applyRetention(TenantId tenant, Duration retention, Instant now);

    /** Applies {@link #applyRetention(TenantId, Duration, Instant)} to every tenant the store holds data for. */
    List<RetentionResult> applyRetention(RetentionPolicy policy, Instant now);

    /** How much older than the cutoff data may survive a retention run (zero: exact). */
    Duration retentionGranularity();

    @Override
    void close();
}
