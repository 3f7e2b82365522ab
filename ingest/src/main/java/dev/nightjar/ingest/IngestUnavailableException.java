package dev.nightjar.ingest;

import java.time.Duration;

/**
 * Nothing of the request was acknowledged because ingest is over capacity (WAL or store full, too many
 * requests in flight). Retryable: OTLP/HTTP 503 or 429 with {@code Retry-After}, OTLP/gRPC UNAVAILABLE
 * with retry info.
 */
public class IngestUnavailableException extends RuntimeException {
    private final Duration retryAfter;
    private final boolean tooManyRequests;

    public IngestUnavailableException(String message, Duration retryAfter, boolean tooManyRequests, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.tooManyRequests = tooManyRequests;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** True when the client sends faster than ingest keeps up (429), false when a resource is exhausted (503). */
    public boolean tooManyRequests() {
        return tooManyRequests;
    }
}
