package dev.nightjar.ingest.wal;

import java.time.Duration;

/**
 * The log could not make a record durable (disk full, I/O error). Nothing was acknowledged; the caller
 * answers with a retryable error. The log repairs itself on a later append once the cause is gone.
 */
public class WalUnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public WalUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
