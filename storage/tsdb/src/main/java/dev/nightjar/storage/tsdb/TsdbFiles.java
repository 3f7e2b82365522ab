package dev.nightjar.storage.tsdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-system steps that must be durable: directory fsync, atomic publish, recursive delete. */
final class TsdbFiles {

    static final int FLUSH_BYTES = 4 << 20;

    private TsdbFiles() {}

    /** Makes a directory's entries (created, renamed, deleted files) survive a crash. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Writes and fsyncs a file, flushing it every {@link #FLUSH_BYTES} on the way. The WAL's per-append
     * fsync shares the file system's journal with block writes: one flush of a whole compacted block
     * (tens of MB) at the end held WAL fsyncs for ~60 ms on the project machine, pieces of 4 MiB for ~10.
     */
    static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int from = 0; from < bytes.length; from += FLUSH_BYTES) {
                java.nio.ByteBuffer buffer =
                        java.nio.ByteBuffer.wrap(bytes, from, Math.min(FLUSH_BYTES, bytes.length - from));
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                if (from + FLUSH_BYTES < bytes.length) {
                    ch.force(false);
                }
            }
            ch.force(true);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static long sizeOf(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
