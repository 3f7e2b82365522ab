package dev.nightjar.ingest.otlp;

/** A request body over a size cap: 413 on HTTP, RESOURCE_EXHAUSTED on gRPC. */
final class BodyTooLargeException extends Exception {
    BodyTooLargeException(String message) {
        super(message, null, false, false);
    }
}
