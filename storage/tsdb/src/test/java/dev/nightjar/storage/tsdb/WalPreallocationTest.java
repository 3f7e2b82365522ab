package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spare WAL segments written out as zeros ahead of time: the log moves on to them, replay stops at the
 * zeros after the last record without reporting damage, damage after them is still cut off, and a spare
 * that lost the race against a roll leaves nothing behind.
 */
class WalPreallocationTest {

    private static final long SEGMENT = 4L << 20;
    private static final int RECORD = 50_000;

    @TempDir
    Path dir;

    private final List<Repair> repairs = new ArrayList<>();

    private record Repair(String reason, long offset) {}

    @Test
    void recordsGoIntoPreallocatedSegmentsAndAllReplayWithoutRepair() throws IOException {
        List<byte[]> written = new ArrayList<>();
        Wal wal = open(Runnable::run);
        written.addAll(writeAndSync(wal, 0, 300));
        // No close: a crash leaves the current preallocated segment with zeros after its last record.

        List<Path> segments = segmentFiles();
        assertThat(segments).as("15 MB of records cross several segments").hasSizeGreaterThan(3);
        assertThat(sizes(segments))
                .as("segments after the first were preallocated: their size is a whole number of MiB")
                .anySatisfy(size -> assertThat(size % (1 << 20)).isZero());
        assertThat(Files.readAllBytes(segments.getLast()))
                .as("the current segment ends in zeros")
                .endsWith(new byte[1024]);

        List<byte[]> replayed = new ArrayList<>();
        try (Wal _ = open(Runnable::run, replayed)) {
            assertThat(replayed).containsExactlyElementsOf(written);
            assertThat(repairs).isEmpty();
        }
        wal.close();
    }

    @Test
    void garbageAfterTheZerosOfAPreallocatedSegmentIsCutOffAsATornTail() throws IOException {
        List<byte[]> written = new ArrayList<>();
        Wal wal = open(Runnable::run);
        written.addAll(writeAndSync(wal, 0, 60));
        Path last = segmentFiles().stream()
                .filter(WalPreallocationTest::holdsRecords)
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(Files.readAllBytes(last)).as("a preallocated segment").endsWith(new byte[1024]);
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            // A page of a later, never acknowledged record reached the disk before its header did.
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), size - 100);
        }

        List<byte[]> replayed = new ArrayList<>();
        try (Wal _ = open(Runnable::run, replayed)) {
            assertThat(replayed).containsExactlyElementsOf(written);
            assertThat(repairs)
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason()).contains("after the end of a preallocated segment"));
        }
        wal.close();
    }

    @Test
    void aSpareThatLosesTheRaceAgainstARollIsDiscarded() throws IOException {
        Queue<Runnable> held = new ArrayDeque<>();
        Wal wal = open(held::add);
        List<byte[]> written = new ArrayList<>();
        written.addAll(writeAndSync(wal, 0, 30));
        assertThat(held).as("a spare was asked for once the segment took a MiB").hasSize(1);
        int before = wal.roll(); // a block cut rolls before the spare is written
        held.remove().run();
        written.addAll(writeAndSync(wal, 30, 40));
        wal.close();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no unfinished spare left, no spare renamed over the rolled segment")
                    .noneMatch(name -> name.endsWith(WalFiles.PREALLOCATING));
        }
        assertThat(segmentFiles()).hasSize(2);
        assertThat(Files.size(segmentFiles().getLast()))
                .as("segment %d grew with its records", before + 1)
                .isEqualTo(10L * (RECORD + 8));
        List<byte[]> replayed = new ArrayList<>();
        try (Wal _ = open(Runnable::run, replayed)) {
            assertThat(replayed).containsExactlyElementsOf(written);
            assertThat(repairs).isEmpty();
        }
    }

    @Test
    void closeDeletesAnUnusedSpare() throws IOException {
        Wal wal = open(Runnable::run);
        writeAndSync(wal, 0, 60);
        assertThat(segmentFiles())
                .as("two segments with records and a ready spare")
                .hasSize(3);
        assertThat(holdsRecords(segmentFiles().getLast())).isFalse();
        wal.close();
        assertThat(segmentFiles()).hasSize(2).allMatch(WalPreallocationTest::holdsRecords);
    }

    private Wal open(Executor preparer) throws IOException {
        return open(preparer, new ArrayList<>());
    }

    private Wal open(Executor preparer, List<byte[]> replayed) throws IOException {
        List<Wal.Repair> found = new ArrayList<>();
        Wal wal = Wal.open(
                dir,
                SEGMENT,
                preparer,
                bytes -> {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    replayed.add(copy);
                    return Long.MIN_VALUE;
                },
                found);
        found.forEach(r -> repairs.add(new Repair(r.reason(), r.offset())));
        return wal;
    }

    /** Writes records {@code from} to {@code to} (exclusive), each made durable; returns them. */
    private static List<byte[]> writeAndSync(Wal wal, int from, int to) {
        List<byte[]> written = new ArrayList<>();
        for (int i = from; i < to; i++) {
            byte[] record = record(i);
            wal.sync(wal.write(record));
            written.add(record);
        }
        return written;
    }

    private static byte[] record(int i) {
        byte[] record = new byte[RECORD];
        for (int j = 0; j < record.length; j++) {
            record[j] = (byte) (i * 31 + j);
        }
        return record;
    }

    private List<Path> segmentFiles() throws IOException {
        return WalFiles.segments(dir);
    }

    private static boolean holdsRecords(Path segment) {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(4);
            ch.read(header, 0);
            return header.flip().getInt() != 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Long> sizes(List<Path> files) throws IOException {
        List<Long> sizes = new ArrayList<>();
        for (Path p : files) {
            sizes.add(Files.size(p));
        }
        return sizes;
    }
}
