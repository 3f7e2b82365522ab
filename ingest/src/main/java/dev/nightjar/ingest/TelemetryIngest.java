package dev.nightjar.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.StorageOverCapacityException;
import dev.nightjar.core.traces.Span;
import dev.nightjar.ingest.otlp.Mapped;
import dev.nightjar.ingest.otlp.OtlpLogsDecoder;
import dev.nightjar.ingest.otlp.OtlpLogsMapper;
import dev.nightjar.ingest.otlp.OtlpSpansMapper;
import dev.nightjar.ingest.wal.ReplayReport;
import dev.nightjar.ingest.wal.WalUnavailableException;
import dev.nightjar.ingest.wal.WriteAheadLog;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The path from a decoded export request to durable storage: validate and map, write to the store, append
 * to the WAL (fsync, shared by concurrent requests), then acknowledge.
 *
 * <p>WAL first, store second, so nothing reaches the store (and readers) that the WAL refused (a full
 * disk). When the store then refuses (over capacity), a cancel entry withdraws the logged request, so
 * replay does not resurrect what the client was told to retry. A checkpoint holds out writers while it rolls the WAL
 * and commits the store, so every record in a deleted segment is committed and no record of a later
 * segment is: replay after a crash neither loses nor duplicates acknowledged records.
 */
public final class TelemetryIngest implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TelemetryIngest.class.getName());

    private final StorageComponent storage;
    private final WriteAheadLog wal;
    private final OtlpLogsMapper logsMapper;
    private final OtlpLogsDecoder logsDecoder;
    private final OtlpSpansMapper spansMapper;
    private final IngestMetrics metrics;
    private final ReentrantReadWriteLock checkpointLock = new ReentrantReadWriteLock(true);
    /** Entry ids grow across restarts (time-based start); a cancel entry takes the id after its target's. */
    private final java.util.concurrent.atomic.AtomicLong ids =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() << 20);

    private volatile long lastCheckpointNanos = System.nanoTime();
    private volatile boolean closed;

    public TelemetryIngest(StorageComponent storage, WriteAheadLog wal, IngestLimits limits, IngestMetrics metrics) {
        this.storage = storage;
        this.wal = wal;
        this.logsMapper = new OtlpLogsMapper(limits);
        this.logsDecoder = new OtlpLogsDecoder(limits);
        this.spansMapper = new OtlpSpansMapper(limits);
        this.metrics = metrics;
    }

    /**
     * Stores the valid records of a logs export durably.
     *
     * @param protobuf the request as OTLP protobuf if the caller has it (saves encoding it again), or null
     */
    public ExportResult exportLogs(TenantId tenant, ExportLogsServiceRequest request, byte[] protobuf) {
        long now = System.currentTimeMillis() * 1_000_000L;
        Mapped<LogRecord> mapped = logsMapper.map(request, now);
        return storeLogs(tenant, mapped, now, protobuf != null ? protobuf : request.toByteArray());
    }

    /**
     * Stores the valid records of a logs export given as OTLP protobuf. The ordinary request is decoded in
     * one pass straight into records ({@link OtlpLogsDecoder}); anything else goes through the generated
     * classes and {@link OtlpLogsMapper}, which then decide the answer.
     *
     * @throws InvalidProtocolBufferException when the bytes are not a logs export
     */
    public ExportResult exportLogs(TenantId tenant, byte[] protobuf) throws InvalidProtocolBufferException {
        long now = System.currentTimeMillis() * 1_000_000L;
        return storeLogs(tenant, mapLogs(protobuf, now), now, protobuf);
    }

    private Mapped<LogRecord> mapLogs(byte[] protobuf, long receivedAtNanos) throws InvalidProtocolBufferException {
        Mapped<LogRecord> mapped = logsDecoder.decode(protobuf, receivedAtNanos);
        return mapped != null ? mapped : logsMapper.map(ExportLogsServiceRequest.parseFrom(protobuf), receivedAtNanos);
    }

    private ExportResult storeLogs(TenantId tenant, Mapped<LogRecord> mapped, long now, byte[] protobuf) {
        if (!mapped.accepted().isEmpty()) {
            persist(
                    new WalEntry(ids.getAndAdd(2), WalEntry.Signal.LOGS, tenant, now, protobuf),
                    () -> storage.logWriter().write(tenant, mapped.accepted()));
        }
        return result("logs", mapped);
    }

    public ExportResult exportSpans(TenantId tenant, ExportTraceServiceRequest request, byte[] protobuf) {
        long now = System.currentTimeMillis() * 1_000_000L;
        Mapped<Span> mapped = spansMapper.map(request);
        if (!mapped.accepted().isEmpty()) {
            byte[] bytes = protobuf != null ? protobuf : request.toByteArray();
            persist(
                    new WalEntry(ids.getAndAdd(2), WalEntry.Signal.SPANS, tenant, now, bytes),
                    () -> storage.spanWriter().write(tenant, mapped.accepted()));
        }
        return result("spans", mapped);
    }

    private ExportResult result(String signal, Mapped<?> mapped) {
        metrics.accepted(signal, mapped.accepted().size());
        metrics.rejected(signal, "invalid", mapped.rejected());
        metrics.batch(signal, mapped.accepted().size() + mapped.rejected());
        return new ExportResult(mapped.accepted().size(), mapped.rejected(), mapped.errorMessage());
    }

    private void persist(WalEntry entry, Runnable write) {
        if (closed) {
            throw new IngestUnavailableException("ingest is shutting down", Duration.ofSeconds(5), false, null);
        }
        byte[] header = entry.header();
        checkpointLock.readLock().lock();
        try {
            wal.append(header, entry.request());
            try {
                write.run();
            } catch (StorageOverCapacityException e) {
                withdraw(entry);
                throw new IngestUnavailableException(
                        "storage over capacity: " + e.getMessage(), e.retryAfter(), false, e);
            }
        } catch (WalUnavailableException e) {
            throw new IngestUnavailableException(e.getMessage(), e.retryAfter(), false, e);
        } finally {
            checkpointLock.readLock().unlock();
        }
    }

    private void withdraw(WalEntry entry) {
        try {
            wal.append(WalEntry.cancel(entry).encode());
        } catch (RuntimeException e) {
            // Store full and WAL failing at once: a replay may store this request although it was refused.
            LOG.log(Level.WARNING, "cannot log the withdrawal of a refused export: " + e.getMessage());
        }
    }

    /**
     * Writes what the WAL holds from before this start into the store, commits it and deletes those
     * segments. Records that cannot be decoded or stored are logged and counted, never fatal.
     */
    public ReplayReport recover() {
        long[] failed = new long[1];
        java.util.Set<Long> withdrawn = new java.util.HashSet<>();
        wal.scan(payload -> {
            try {
                WalEntry e = WalEntry.decode(payload);
                if (e.signal() == WalEntry.Signal.CANCEL) {
                    withdrawn.add(e.receivedAtNanos());
                }
            } catch (RuntimeException undecodable) {
                // reported by the second pass
            }
        });
        ReplayReport report = wal.replay(payload -> {
            try {
                WalEntry e = WalEntry.decode(payload);
                if (e.signal() != WalEntry.Signal.CANCEL && !withdrawn.contains(e.id())) {
                    replayOne(e);
                }
            } catch (RuntimeException | InvalidProtocolBufferException e) {
                failed[0]++;
                LOG.log(Level.WARNING, "WAL record could not be replayed: " + e.getMessage());
            }
        });
        storage.commit();
        // Visible before the server reports itself started: a query right after a restart finds every
        // record acknowledged before the crash, not only those the last checkpoint had committed.
        storage.flush();
        wal.deleteSegmentsBefore(wal.currentSegment());
        LOG.info("WAL replay: " + report.records() + " record(s) from " + report.segments() + " segment(s), "
                + report.corruptedRecords() + " corrupted, " + report.truncatedBytes() + " torn byte(s) cut, "
                + failed[0] + " not replayable");
        return report;
    }

    private void replayOne(WalEntry entry) throws InvalidProtocolBufferException {
        switch (entry.signal()) {
            case LOGS -> {
                var mapped = mapLogs(entry.request(), entry.receivedAtNanos());
                if (!mapped.accepted().isEmpty()) {
                    storage.logWriter().write(entry.tenant(), mapped.accepted());
                }
            }
            case CANCEL -> {}
            case SPANS -> {
                var mapped = spansMapper.map(ExportTraceServiceRequest.parseFrom(entry.request()));
                if (!mapped.accepted().isEmpty()) {
                    storage.spanWriter().write(entry.tenant(), mapped.accepted());
                }
            }
        }
    }

    /** Checkpoints when the WAL has grown past {@code maxBytes} or the last checkpoint is older than {@code maxAge}. */
    public void checkpointIfDue(Duration maxAge, long maxBytes) {
        if (wal.sizeBytes() > maxBytes || System.nanoTime() - lastCheckpointNanos > maxAge.toNanos()) {
            checkpoint();
        }
    }

    /** Commits the store and deletes the WAL segments it now covers. */
    public void checkpoint() {
        long next;
        checkpointLock.writeLock().lock();
        try {
            next = wal.roll();
            storage.commit();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "checkpoint failed; the WAL keeps its segments: " + e.getMessage());
            return;
        } finally {
            checkpointLock.writeLock().unlock();
        }
        lastCheckpointNanos = System.nanoTime();
        wal.deleteSegmentsBefore(next);
    }

    /** Refuses new exports, checkpoints and closes the WAL. The store stays open (its owner closes it). */
    @Override
    public void close() {
        closed = true;
        checkpoint();
        wal.close();
    }
}
