package dev.nightjar.storage.tsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Write-ahead log in numbered segment files. Each record is framed as payload length (4 bytes),
 * CRC32C of the payload (4 bytes), payload.
 *
 * <p>Group commit: {@link #write} only hands bytes to the OS and returns a position; {@link #sync}
 * makes everything up to that position durable. Appenders that arrive while one fsync runs wait for
 * it and share the next one, so N concurrent appenders cost far fewer than N fsyncs.
 *
 * <p>Truncation without rewriting: the log remembers the newest sample time of each segment. Once a
 * block holds everything before some time, {@link #checkpoint} writes a small {@code checkpoint.N}
 * file (the live series, metadata, the new lower bound) and deletes the segments up to {@code N}, all
 * of whose samples are older than that time. Newer segments stay as they are: replay reads the newest
 * checkpoint first, then the segments after it, and skips samples the blocks already hold.
 */
final class Wal implements AutoCloseable {

    static final int MAX_RECORD = 64 << 20;
    private static final String SUFFIX = ".wal";
    private static final String CHECKPOINT = "checkpoint.";

    private final Path dir;
    private final long segmentSize;
    private final Object writeLock = new Object();
    private final Object syncLock = new Object();
    private FileChannel channel;
    private int segment;
    private long written;
    private volatile long synced;
    private long syncCount;
    // Newest sample time per existing segment (Long.MIN_VALUE: no samples), guarded by writeLock.
    private final TreeMap<Integer, Long> segmentMaxTime = new TreeMap<>();

    private Wal(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /** A repair made while replaying: the log was cut at {@code offset} of {@code segment}. */
    record Repair(Path segment, long offset, long droppedBytes, int droppedSegments, String reason) {}

    /**
     * Replays the newest checkpoint, then every intact record of the segments after it in order, cutting
     * off a torn or corrupt tail (and any later segment), then opens a fresh segment for writing. The
     * consumer returns the newest sample time of each record (or {@code Long.MIN_VALUE}).
     */
    static Wal open(Path dir, long segmentSize, ToLongFunction<ByteBuffer> records, List<Repair> repairs)
            throws IOException {
        Files.createDirectories(dir);
        Wal wal = new Wal(dir, segmentSize);
        int checkpoint = wal.replayCheckpoint(records, repairs);
        List<Path> segments = segments(dir);
        for (int i = 0; i < segments.size(); i++) {
            Path path = segments.get(i);
            long[] maxTime = {Long.MIN_VALUE};
            Repair repair = replaySegment(path, bytes -> maxTime[0] = Math.max(maxTime[0], records.applyAsLong(bytes)));
            wal.segmentMaxTime.put(number(path), maxTime[0]);
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
        wal.segmentMaxTime
                .keySet()
                .retainAll(segments(dir).stream().map(Wal::number).toList());
        int last = segments(dir).stream().mapToInt(Wal::number).max().orElse(0);
        wal.openSegment(Math.max(last, checkpoint) + 1);
        return wal;
    }

    /**
     * Replays the newest {@code checkpoint.N} and deletes what it replaces (older checkpoints, segments up
     * to N, an unfinished checkpoint); returns N, or 0 without a checkpoint.
     */
    private int replayCheckpoint(ToLongFunction<ByteBuffer> records, List<Repair> repairs) throws IOException {
        int newest = 0;
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                int n = checkpointNumber(p);
                if (n > 0) {
                    newest = Math.max(newest, n);
                } else if (p.getFileName().toString().startsWith(CHECKPOINT)) {
                    leftovers.add(p);
                }
            }
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
        if (newest == 0) {
            return 0;
        }
        Path file = dir.resolve(checkpointName(newest));
        // A checkpoint is complete once renamed into place: a problem in it is damage, reported as a repair.
        Repair repair = replaySegment(file, records::applyAsLong);
        if (repair != null) {
            repairs.add(repair);
        }
        deleteUpTo(newest);
        return newest;
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

    private static int checkpointNumber(Path path) {
        String name = path.getFileName().toString();
        if (!name.startsWith(CHECKPOINT) || name.length() != CHECKPOINT.length() + 8) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(CHECKPOINT.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String checkpointName(int number) {
        return CHECKPOINT + "%08d".formatted(number);
    }

    private void openSegment(int number) throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
        segment = number;
        segmentMaxTime.putIfAbsent(number, Long.MIN_VALUE);
        channel = FileChannel.open(
                dir.resolve("%08d%s".formatted(number, SUFFIX)),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        TsdbFiles.syncDirectory(dir);
    }

    /** Hands a record to the OS; returns the position {@link #sync} must reach to make it durable. */
    long write(byte[] payload) {
        return write(payload, payload.length, Long.MIN_VALUE);
    }

    /**
     * As {@link #write(byte[])} for the record {@code payload[0, length)}, whose newest sample is at
     * {@code maxTime} ({@code Long.MIN_VALUE} for a record without samples).
     */
    long write(byte[] payload, int length, long maxTime) {
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
            if (maxTime > segmentMaxTime.getOrDefault(segment, Long.MIN_VALUE)) {
                segmentMaxTime.put(segment, maxTime);
            }
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
            } catch (ClosedChannelException e) {
                // The segment was closed by a roll, which forced it first: everything up to target is durable.
                synchronized (writeLock) {
                    if (current == channel) {
                        throw new UncheckedIOException("WAL fsync failed", e);
                    }
                }
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
     * Starts a new segment, so the samples written from now on can be dropped apart from the older ones;
     * returns the number of the last segment before it.
     */
    int roll() throws IOException {
        synchronized (writeLock) {
            int previous = segment;
            openSegment(segment + 1);
            return previous;
        }
    }

    /**
     * The highest segment number N such that every segment up to N is closed and holds only samples
     * before {@code time}, or 0 when there is none.
     */
    int closedBefore(long time) {
        synchronized (writeLock) {
            int upTo = 0;
            for (Map.Entry<Integer, Long> e : segmentMaxTime.entrySet()) {
                if (e.getKey() >= segment || e.getValue() >= time) {
                    break;
                }
                upTo = e.getKey();
            }
            return upTo;
        }
    }

    /**
     * Writes {@code checkpoint.upTo} (durably, renamed into place) holding {@code records}, which must
     * stand in for everything of segments up to {@code upTo} that is not in blocks, then deletes those
     * segments and older checkpoints. Appends may continue meanwhile: they go to later segments.
     */
    void checkpoint(int upTo, List<byte[]> records) throws IOException {
        Path tmp = dir.resolve(checkpointName(upTo) + ".tmp");
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] record : records) {
                CRC32C crc = new CRC32C();
                crc.update(record);
                ByteBuffer[] frame = {
                    ByteBuffer.allocate(8)
                            .putInt(record.length)
                            .putInt((int) crc.getValue())
                            .flip(),
                    ByteBuffer.wrap(record)
                };
                while (frame[1].hasRemaining()) {
                    out.write(frame);
                }
            }
            out.force(true);
        }
        Files.move(tmp, dir.resolve(checkpointName(upTo)), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        TsdbFiles.syncDirectory(dir);
        deleteUpTo(upTo);
    }

    /** Deletes segments up to {@code upTo} and checkpoints before it (a newer checkpoint replaces them). */
    private void deleteUpTo(int upTo) throws IOException {
        List<Path> doomed = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                int cp = checkpointNumber(p);
                boolean oldSegment = p.getFileName().toString().endsWith(SUFFIX) && number(p) >= 0 && number(p) <= upTo;
                if ((cp > 0 && cp < upTo) || oldSegment) {
                    doomed.add(p);
                }
            }
        }
        synchronized (writeLock) {
            segmentMaxTime.headMap(upTo, true).clear();
        }
        for (Path p : doomed) {
            Files.deleteIfExists(p);
        }
        TsdbFiles.syncDirectory(dir);
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
