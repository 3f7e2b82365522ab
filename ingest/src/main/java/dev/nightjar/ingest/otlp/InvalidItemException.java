package dev.nightjar.ingest.otlp;

/** One log record or span breaks a rule; it is rejected alone and counted in {@code partial_success}. */
final class InvalidItemException extends RuntimeException {
    InvalidItemException(String message) {
        super(message, null, false, false);
    }
}
