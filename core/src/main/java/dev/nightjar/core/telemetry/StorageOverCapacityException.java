package dev.nightjar.core.telemetry;

import java.time.Duration;
import java.util.Objects;

/**
 * The store cannot take more data right now (disk nearly full, indexing backlog over its bound). Nothing
 * of the rejected batch was written. Retryable: the ingest path answers with a retryable status
 * (OTLP/gRPC {@code RESOURCE_EXHAUSTED} with retry info, OTLP/HTTP 503 with {@code Retry-After}).
 */
public class StorageOverCapacityException extends StorageException {

    private final Duration retryAfter;

    public StorageOverCapacityException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public StorageOverCapacityException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A hint for how long the client should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
