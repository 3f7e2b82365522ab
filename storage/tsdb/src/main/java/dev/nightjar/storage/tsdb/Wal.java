package dev.nightjar.storage.tsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Write-ahead log in numbered segment files. Each record is framed as payload length (4 bytes),
 * CRC32C of the payload (4 bytes), payload.
 *
 * <p>Group commit: {@link #write} only hands bytes to the OS and returns a position; {@link #sync}
 * makes everything up to that position durable. Appenders that arrive while one fsync runs wait for
 * it and share the next one, so N concurrent appenders cost far fewer than N fsyncs.
 */
final class Wal implements AutoCloseable {

    static final int MAX_RECORD = 64 << 20;
    private static final String SUFFIX = ".wal";

    private final Path dir;
    private final long segmentSize;
    private final Object writeLock = new Object();
    private final Object syncLock = new Object();
    private FileChannel channel;
    private int segment;
    private long written;
    private volatile long synced;
    private long syncCount;

    private Wal(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /** A repair made while replaying: the log was cut at {@code offset} of {@code segment}. */
    record Repair(Path segment, long offset, long droppedBytes, int droppedSegments, String reason) {}

    /**
     * Replays every intact record in order, cutting off a torn or corrupt tail (and any later
     * segment), then opens a fresh segment for writing.
     */
    static Wal open(Path dir, long segmentSize, Consumer<ByteBuffer> records, List<Repair> repairs) throws IOException {
        Files.createDirectories(dir);
        List<Path> segments = segments(dir);
        for (int i = 0; i < segments.size(); i++) {
            Path path = segments.get(i);
            Repair repair = replaySegment(path, records);
            if (repair != null) {
                int dropped = 0;
                for (int j = i + 1; j < segments.size(); j++) {
                    Files.deleteIfExists(segments.get(j));
                    dropped++;
                }
                repairs.add(new Repair(path, repair.offset(), repair.droppedBytes(), dropped, repair.reason()));
                break;
            }
        }
        Wal wal = new Wal(dir, segmentSize);
        int last = segments(dir).stream().mapToInt(Wal::number).max().orElse(0);
        wal.openSegment(last + 1);
        return wal;
    }

    private static Repair replaySegment(Path path, Consumer<ByteBuffer> records) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        while (in.hasRemaining()) {
            int start = in.position();
            String problem = null;
            if (in.remaining() < 8) {
                problem = "torn record header";
            } else {
                int length = in.getInt();
                int crc = in.getInt();
                if (length <= 0 || length > MAX_RECORD || length > in.remaining()) {
                    problem = "torn or invalid record length " + length;
                } else {
                    CRC32C check = new CRC32C();
                    check.update(bytes, in.position(), length);
                    if ((int) check.getValue() != crc) {
                        problem = "checksum mismatch";
                    } else {
                        ByteBuffer payload =
                                ByteBuffer.wrap(bytes, in.position(), length).slice();
                        in.position(in.position() + length);
                        try {
                            records.accept(payload);
                        } catch (CorruptChunkException | IllegalArgumentException e) {
                            problem = "undecodable record: " + e.getMessage();
                        }
                    }
                }
            }
            if (problem != null) {
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    ch.truncate(start);
                    ch.force(true);
                }
                return new Repair(path, start, bytes.length - start, 0, problem);
            }
        }
        return null;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list =
                    new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                            .filter(p -> number(p) >= 0)
                            .toList());
            list.sort((a, b) -> Integer.compare(number(a), number(b)));
            return list;
        }
    }

    private static int number(Path path) {
        String name = path.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void openSegment(int number) throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
        segment = number;
        channel = FileChannel.open(
                dir.resolve("%08d%s".formatted(number, SUFFIX)),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        TsdbFiles.syncDirectory(dir);
    }

    /** Hands a record to the OS; returns the position {@link #sync} must reach to make it durable. */
    long write(byte[] payload) {
        return write(payload, payload.length);
    }

    /** As {@link #write(byte[])} for the record {@code payload[0, length)}. */
    long write(byte[] payload, int length) {
        if (length > MAX_RECORD) {
            throw new IllegalArgumentException("WAL record of " + length + " bytes is too large");
        }
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        // Header and payload go out in one gathering write: no copy of the payload into a frame buffer.
        ByteBuffer header = ByteBuffer.allocate(8).putInt(length).putInt((int) crc.getValue());
        ByteBuffer[] frame = {header.flip(), ByteBuffer.wrap(payload, 0, length)};
        synchronized (writeLock) {
            long start = -1;
            try {
                start = channel.size();
                if (start > segmentSize) {
                    openSegment(segment + 1);
                    start = channel.size();
                }
                while (frame[1].hasRemaining()) {
                    channel.write(frame);
                }
            } catch (IOException e) {
                // A full disk can leave part of the frame behind; cut it off, or the next record would be
                // written after a torn one and replay would stop there, dropping acknowledged records.
                if (start >= 0) {
                    try {
                        channel.truncate(start);
                    } catch (IOException ignored) {
                        // Shrinking a file needs no free space; should it fail anyway, replay cuts the torn
                        // frame as a tail (and what follows it) and reports the repair.
                    }
                }
                throw new UncheckedIOException("WAL write failed", e);
            }
            written += 8 + length;
            return written;
        }
    }

    /** Returns once everything up to {@code position} is on disk, sharing fsyncs between callers. */
    void sync(long position) {
        if (synced >= position) {
            return;
        }
        synchronized (syncLock) {
            if (synced >= position) {
                return;
            }
            long target;
            FileChannel current;
            synchronized (writeLock) {
                target = written;
                current = channel;
            }
            try {
                current.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("WAL fsync failed", e);
            }
            syncCount++;
            synced = target;
        }
    }

    long syncCount() {
        synchronized (syncLock) {
            return syncCount;
        }
    }

    /**
     * Starts a new segment holding only {@code checkpoint} and deletes every older one: what they held
     * is now in blocks or repeated in the checkpoint. The caller must keep appends out meanwhile.
     */
    void checkpoint(List<byte[]> checkpoint) throws IOException {
        synchronized (writeLock) {
            List<Path> old = segments(dir);
            openSegment(segment + 1);
            for (byte[] record : checkpoint) {
                write(record);
            }
            channel.force(false);
            synced = written;
            for (Path path : old) {
                Files.deleteIfExists(path);
            }
            TsdbFiles.syncDirectory(dir);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (channel != null) {
                channel.force(false);
                channel.close();
                channel = null;
            }
        }
    }
}
