package dev.nightjar.core.logs;

import dev.nightjar.core.TenantId;
import java.util.List;

/** Writes log records for one tenant. Thread-safe. */
public interface LogWriter {

    /**
     * Writes a batch. {@link dev.nightjar.core.telemetry.StorageOverCapacityException} means nothing of
     * the batch was written and the caller may retry later; after any other {@link
     * dev.nightjar.core.telemetry.StorageException} part of the batch may have been written, so a retry
     * is at-least-once. Invalid arguments throw {@link IllegalArgumentException} before anything is
     * written.
     */
    void write(TenantId tenant, List<LogRecord> records);
}
