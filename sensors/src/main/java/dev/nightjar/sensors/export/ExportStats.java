package dev.nightjar.sensors.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The exporter's own health: failures, dropped batches, buffered bytes. */
public final class ExportStats {

    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong droppedBatches = new AtomicLong();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong sentBatches = new AtomicLong();

    void failed() {
        failures.incrementAndGet();
    }

    void dropped(long batches) {
        droppedBatches.addAndGet(batches);
    }

    void sent() {
        sentBatches.incrementAndGet();
    }

    void buffered(long bytes) {
        bufferedBytes.set(bytes);
    }

    public long failures() {
        return failures.get();
    }

    public long droppedBatches() {
        return droppedBatches.get();
    }

    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    public long sentBatches() {
        return sentBatches.get();
    }

    /** VmRSS of this process, 0 where /proc is unavailable. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
