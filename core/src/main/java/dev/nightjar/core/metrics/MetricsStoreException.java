package dev.nightjar.core.metrics;

/** The store could not do what was asked; {@link #retryable()} tells a caller whether to try again. */
public class MetricsStoreException extends RuntimeException {

    private final boolean retryable;

    public MetricsStoreException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public MetricsStoreException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
