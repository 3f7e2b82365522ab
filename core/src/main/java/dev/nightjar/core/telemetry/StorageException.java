package dev.nightjar.core.telemetry;

/** A storage failure that is not the caller's fault (I/O error, corrupt index, closed store). */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
