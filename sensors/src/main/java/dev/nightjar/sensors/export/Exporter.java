package dev.nightjar.sensors.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Every interval: snapshot the metrics into the on-disk buffer, then send buffered batches oldest
 * first until the backend refuses. A batch leaves the buffer only after a 2xx (at-least-once) or
 * a non-retryable rejection (counted as dropped).
 */
public final class Exporter implements AutoCloseable {

    private final DiskBuffer buffer;
    private final OtlpHttpSender sender;
    private final LongFunction<byte[]> snapshot;
    private final Supplier<Optional<byte[]>> spans;
    private final ExportStats stats;
    private final long intervalMillis;
    private volatile boolean running = true;
    private final Thread thread;

    public Exporter(
            String endpoint,
            Map<String, String> headers,
            Path bufferDir,
            long bufferMaxBytes,
            long intervalMillis,
            ExportStats stats,
            LongFunction<byte[]> snapshot,
            Supplier<Optional<byte[]>> spans) {
        this.stats = stats;
        this.buffer = new DiskBuffer(bufferDir, bufferMaxBytes, stats);
        this.sender = new OtlpHttpSender(endpoint, headers);
        this.snapshot = snapshot;
        this.spans = spans;
        this.intervalMillis = intervalMillis;
        this.thread = Thread.ofPlatform().daemon().name("nightjar-export").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(intervalMillis);
                exportOnce();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                stats.failed();
            }
        }
    }

    /** One cycle: buffer a fresh snapshot, then drain what the backend accepts. */
    public void exportOnce() throws IOException {
        buffer.add("metrics", snapshot.apply(System.currentTimeMillis() * 1_000_000L));
        Optional<byte[]> traceBatch = spans.get();
        if (traceBatch.isPresent()) {
            buffer.add("traces", traceBatch.get());
        }
        Optional<Path> next = buffer.oldest();
        while (next.isPresent()) {
            switch (sender.send(DiskBuffer.signalOf(next.get()), Files.readAllBytes(next.get()))) {
                case SENT -> stats.sent();
                case REJECTED -> stats.dropped(1);
                case RETRY -> {
                    stats.failed();
                    return;
                }
            }
            buffer.remove(next.get());
            next = buffer.oldest();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
