package dev.nightjar.storage.tsdb;

/** Stored bytes that cannot be what the writer produced. */
final class CorruptChunkException extends RuntimeException {

    CorruptChunkException(String message) {
        super(message);
    }
}
