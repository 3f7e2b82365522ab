package dev.nightjar.ingest.metrics;

/** What one remote_write worker thread keeps between requests: a decompressed body and sample columns. */
final class RemoteWriteBuffers {

    // Kept up to these sizes (a larger request allocates its own): the decompressed body and the sample
    // columns were most of what a remote_write request allocated.
    static final int KEPT_BODY_BYTES = 4 << 20;
    static final int KEPT_SAMPLES = 1 << 18;

    private byte[] body = new byte[0];
    private RemoteWriteColumns columns;

    byte[] body(int length) {
        if (body.length < length) {
            body = new byte[Math.min(KEPT_BODY_BYTES, Math.max(length, body.length * 2))];
        }
        return body;
    }

    /** The thread's columns, emptied; replaced when the last request grew them beyond what is kept. */
    RemoteWriteColumns columns(int maxSamples) {
        if (columns == null || columns.capacity() > KEPT_SAMPLES) {
            columns = new RemoteWriteColumns(0, maxSamples);
        }
        columns.clear();
        return columns;
    }
}
