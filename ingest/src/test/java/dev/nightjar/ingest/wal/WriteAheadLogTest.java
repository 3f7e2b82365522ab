package dev.nightjar.ingest.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private WriteAheadLog open() {
        return WriteAheadLog.open(dir, WalOptions.DEFAULTS, meters);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> replayAll(WriteAheadLog wal, ReplayReport[] report) {
        List<String> out = new ArrayList<>();
        report[0] = wal.replay(p -> out.add(new String(p, StandardCharsets.UTF_8)));
        return out;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void replaysEveryAppendedRecordInOrderAfterReopen() {
        try (WriteAheadLog wal = open()) {
            for (int i = 0; i < 100; i++) {
                wal.append(bytes("record-" + i));
            }
        }
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            List<String> got = replayAll(wal, report);
            assertThat(got).hasSize(100).startsWith("record-0").endsWith("record-99");
            assertThat(report[0].clean()).isTrue();
            assertThat(report[0].records()).isEqualTo(100);
        }
    }

    @Test
    void tornTailIsCutAndReportedAndTheLogStaysUsable() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(bytes("one"));
            wal.append(bytes("two"));
            wal.append(bytes("three-is-longer"));
        }
        Path segment = segments().getFirst();
        long size = Files.size(segment);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(size - 5); // the last record lost its end in a crash
        }
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).containsExactly("one", "two");
            assertThat(report[0].truncatedBytes()).isEqualTo(Frame.HEADER + "three-is-longer".length() - 5);
            assertThat(report[0].corruptedRecords()).isZero();
            assertThat(meters.get("nightjar.wal.truncated.bytes").counter().count())
                    .isEqualTo(report[0].truncatedBytes());
            wal.append(bytes("four"));
        }
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).containsExactly("one", "two", "four");
        }
    }

    @Test
    void corruptedMiddleRecordIsSkippedAndTheRecordsAfterItSurvive() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(bytes("first"));
            wal.append(bytes("second"));
            wal.append(bytes("third"));
        }
        Path segment = segments().getFirst();
        byte[] data = Files.readAllBytes(segment);
        int secondPayload = Frame.HEADER + "first".length() + Frame.HEADER;
        data[secondPayload + 2] ^= 0x40; // a bit flip inside "second"
        Files.write(segment, data);
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).containsExactly("first", "third");
            assertThat(report[0].corruptedRecords()).isEqualTo(1);
            assertThat(report[0].truncatedBytes()).isZero();
            assertThat(meters.get("nightjar.wal.corrupted.records").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void garbageSegmentReplaysNothingAndDoesNotFail() throws IOException {
        Files.write(dir.resolve(String.format("%020d.wal", 1)), bytes("not a wal segment at all, just noise"));
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).isEmpty();
            assertThat(report[0].truncatedBytes()).isEqualTo(36);
        }
    }

    @Test
    void committedSegmentsAreDeletedAndOnlyLaterRecordsReplay() throws IOException {
        try (WriteAheadLog wal = open()) {
            wal.append(bytes("committed"));
            long next = wal.roll();
            wal.append(bytes("pending"));
            wal.deleteSegmentsBefore(next);
            assertThat(segments()).hasSize(1);
        }
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).containsExactly("pending");
        }
    }

    @Test
    void segmentsRollAtTheirSizeLimit() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, new WalOptions(4096, 4096), meters)) {
            for (int i = 0; i < 10; i++) {
                wal.append(new byte[1000]);
            }
        }
        assertThat(segments()).hasSizeGreaterThan(2);
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).hasSize(10);
        }
    }

    @Test
    void concurrentAppendsShareOneFsync() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (WriteAheadLog wal = open()) {
            long fsyncsBefore = meters.get("nightjar.wal.fsync").timer().count();
            List<Future<?>> done = new ArrayList<>();
            // Hold the sync lock, as a slow fsync would, until every append has been written.
            wal.syncLockForTests().lock();
            try {
                for (int i = 0; i < threads; i++) {
                    int n = i;
                    done.add(pool.submit(() -> wal.append(bytes("concurrent-" + n))));
                }
                long expected = 0;
                for (int i = 0; i < threads; i++) {
                    expected += Frame.HEADER + ("concurrent-" + i).length();
                }
                while (wal.writtenBytes() < expected) {
                    Thread.onSpinWait();
                }
                assertThat(wal.syncedBytes()).isZero();
                assertThat(done).noneMatch(Future::isDone);
            } finally {
                wal.syncLockForTests().unlock();
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(meters.get("nightjar.wal.fsync").timer().count() - fsyncsBefore)
                    .isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        ReplayReport[] report = new ReplayReport[1];
        try (WriteAheadLog wal = open()) {
            assertThat(replayAll(wal, report)).hasSize(threads);
        }
    }

    @Test
    void oversizedRecordIsRefused() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, new WalOptions(4096, 100), meters)) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> wal.append(new byte[101]));
        }
    }
}
