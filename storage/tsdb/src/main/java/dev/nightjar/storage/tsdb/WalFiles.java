package dev.nightjar.storage.tsdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Names of the WAL's files and the replay of one framed file (segment or checkpoint). */
final class WalFiles {

    static final String SUFFIX = ".wal";
    static final String CHECKPOINT = "checkpoint.";
    /** A segment being written out as zeros before it is renamed into place ({@link Wal} spares). */
    static final String PREALLOCATING = ".prealloc";

    private WalFiles() {}

    static String segmentName(int number) {
        return "%08d%s".formatted(number, SUFFIX);
    }

    static String checkpointName(int number) {
        return CHECKPOINT + "%08d".formatted(number);
    }

    /** Segment files in number order. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list =
                    new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                            .filter(p -> number(p) >= 0)
                            .toList());
            list.sort((a, b) -> Integer.compare(number(a), number(b)));
            return list;
        }
    }

    static int number(Path path) {
        String name = path.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int checkpointNumber(Path path) {
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

    /**
     * Hands every intact record of {@code path} to {@code records}. A frame header of zeros followed by
     * nothing but zeros is the end of a preallocated segment's data; anything else that is not an intact
     * record (a torn or corrupt frame, data after the zeros) is cut off with the rest of the file and
     * returned as a repair.
     */
    static Wal.Repair replay(Path path, Consumer<ByteBuffer> records) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        while (in.hasRemaining()) {
            int start = in.position();
            if (zeroFrom(bytes, start)) {
                return null;
            }
            String problem = null;
            if (in.remaining() < 8) {
                problem = "torn record header";
            } else {
                int length = in.getInt();
                int crc = in.getInt();
                if (length == 0 && crc == 0) {
                    problem = "data after the end of a preallocated segment";
                } else if (length <= 0 || length > Wal.MAX_RECORD || length > in.remaining()) {
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
                return new Wal.Repair(path, start, bytes.length - start, 0, problem);
            }
        }
        return null;
    }

    /** Whether {@code bytes} holds only zeros from {@code from} on (a preallocated segment's unused end). */
    private static boolean zeroFrom(byte[] bytes, int from) {
        // A record's header is never all zeros (its length is positive), so this stops within the first
        // four bytes of every record and cannot hide one.
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Creates {@code file} holding {@code size} zero bytes, durably. Overwriting blocks a file already
     * owns lets fdatasync flush the data alone; appending to a file makes every fdatasync also commit
     * the new size to the file system's journal.
     */
    static void writeZeros(Path file, long size) throws IOException {
        // Direct: a heap buffer would be copied into a temporary direct one on every write.
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                at += ch.write(zeros, at);
                if (at % TsdbFiles.FLUSH_BYTES == 0 && at < size) {
                    ch.force(false);
                }
            }
            ch.force(true);
        }
    }

    /**
     * The number of the newest complete checkpoint (0 without one), after deleting what an interrupted
     * checkpoint or spare left behind.
     */
    static int newestCheckpointClearingLeftovers(Path dir) throws IOException {
        int newest = 0;
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                int n = checkpointNumber(p);
                if (n > 0) {
                    newest = Math.max(newest, n);
                } else if (name.startsWith(CHECKPOINT) || name.endsWith(PREALLOCATING)) {
                    leftovers.add(p);
                }
            }
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
        return newest;
    }

    /**
     * The frame of the record {@code payload[0, length)}: header (length, CRC32C of the payload) and the
     * payload itself, for one gathering write without copying the payload into a frame buffer.
     */
    static ByteBuffer[] frame(byte[] payload, int length) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        ByteBuffer header = ByteBuffer.allocate(8).putInt(length).putInt((int) crc.getValue());
        return new ByteBuffer[] {header.flip(), ByteBuffer.wrap(payload, 0, length)};
    }

    /** Writes {@code records} framed into {@code checkpoint.upTo}, durably and renamed into place. */
    static void writeCheckpoint(Path dir, int upTo, List<byte[]> records) throws IOException {
        Path tmp = dir.resolve(checkpointName(upTo) + ".tmp");
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] record : records) {
                ByteBuffer[] frame = frame(record, record.length);
                while (frame[1].hasRemaining()) {
                    out.write(frame);
                }
            }
            out.force(true);
        }
        Files.move(tmp, dir.resolve(checkpointName(upTo)), StandardCopyOption.ATOMIC_MOVE);
        TsdbFiles.syncDirectory(dir);
    }

    /** Segments up to {@code upTo} and checkpoints before it: what {@code checkpoint.upTo} replaces. */
    static List<Path> replacedBy(Path dir, int upTo) throws IOException {
        List<Path> doomed = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                int cp = checkpointNumber(p);
                int number = p.getFileName().toString().endsWith(SUFFIX) ? number(p) : -1;
                if ((cp > 0 && cp < upTo) || (number >= 0 && number <= upTo)) {
                    doomed.add(p);
                }
            }
        }
        return doomed;
    }
}
