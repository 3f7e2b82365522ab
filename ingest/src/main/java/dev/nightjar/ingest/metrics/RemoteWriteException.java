package dev.nightjar.ingest.metrics;

/** A remote_write request that cannot be accepted; {@link #status()} is the HTTP answer. */
public final class RemoteWriteException extends RuntimeException {
    private final int status;

    public RemoteWriteException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
