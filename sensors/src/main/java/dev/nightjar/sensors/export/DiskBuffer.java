package dev.nightjar.sensors.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Export batches waiting for the backend, one file each, oldest first. Bounded in bytes: when
 * full, the oldest batches are dropped and counted. Files are written then renamed, so a crash
 * never leaves a torn batch that would be sent.
 */
final class DiskBuffer {

    private static final String SUFFIX = ".otlp";
    private final Path dir;
    private final long maxBytes;
    private final ExportStats stats;
    private long sequence;

    DiskBuffer(Path dir, long maxBytes, ExportStats stats) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.stats = stats;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> tmp = Files.list(dir)) {
                for (Path p : tmp.filter(p -> p.toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            sequence =
                    batches().stream().mapToLong(DiskBuffer::sequenceOf).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("export buffer directory " + dir, e);
        }
        stats.buffered(size());
    }

    /** {@code signal} ("metrics", "traces") is kept in the file name and picks the OTLP path. */
    synchronized void add(String signal, byte[] batch) throws IOException {
        if (batch.length > maxBytes) {
            stats.dropped(1);
            return;
        }
        List<Path> existing = batches();
        long used = size();
        for (int i = 0; used + batch.length > maxBytes && i < existing.size(); i++) {
            used -= Files.size(existing.get(i));
            Files.deleteIfExists(existing.get(i));
            stats.dropped(1);
        }
        Path tmp = dir.resolve(String.format("%020d.tmp", ++sequence));
        Files.write(tmp, batch);
        Files.move(
                tmp,
                dir.resolve(String.format("%020d.%s%s", sequence, signal, SUFFIX)),
                StandardCopyOption.ATOMIC_MOVE);
        stats.buffered(size());
    }

    synchronized Optional<Path> oldest() throws IOException {
        List<Path> all = batches();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    synchronized void remove(Path batch) throws IOException {
        Files.deleteIfExists(batch);
        stats.buffered(size());
    }

    synchronized long size() {
        long total = 0;
        try {
            for (Path p : batches()) {
                total += Files.size(p);
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    private List<Path> batches() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList());
        }
    }

    static String signalOf(Path p) {
        String name = p.getFileName().toString();
        return name.contains(".traces.") ? "traces" : "metrics";
    }

    private static long sequenceOf(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.indexOf('.')));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
