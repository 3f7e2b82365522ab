package dev.nightjar.ingest.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.SmallTmpfs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk fails appends closed (nothing acknowledged that is not on disk) and heals once space returns. */
class WriteAheadLogDiskFullTest {
    @TempDir
    Path mountPoint;

    private SmallTmpfs tmpfs;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        tmpfs = SmallTmpfs.mount(mountPoint, "2m");
    }

    @AfterEach
    void unmount() throws Exception {
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    @Test
    void fullDiskFailsClosedAndRecoversWhenSpaceReturns() throws IOException {
        Path walDir = mountPoint.resolve("wal");
        Path filler = mountPoint.resolve("filler");
        Files.write(filler, new byte[1536 * 1024]);
        List<Integer> acknowledged = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (WriteAheadLog wal = WriteAheadLog.open(walDir, WalOptions.DEFAULTS, meters)) {
            int i = 0;
            WalUnavailableException failure = null;
            while (failure == null && i < 1000) {
                try {
                    wal.append(record(i, 50_000));
                    acknowledged.add(i);
                } catch (WalUnavailableException e) {
                    failure = e;
                }
                i++;
            }
            assertThat(failure).as("the small disk filled up").isNotNull();
            assertThat(failure.retryAfter()).isPositive();
            assertThat(acknowledged).isNotEmpty();
            int refused = i - 1;
            // Still full: still refused, and nothing half-written accumulates.
            assertThatThrownBy(() -> wal.append(record(refused, 50_000))).isInstanceOf(WalUnavailableException.class);
            assertThat(meters.get("nightjar.wal.append.failures").counter().count())
                    .isGreaterThanOrEqualTo(2);

            Files.delete(filler);
            wal.append(record(refused, 50_000));
            acknowledged.add(refused);
        }
        List<byte[]> replayed = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(walDir, WalOptions.DEFAULTS, new SimpleMeterRegistry())) {
            ReplayReport report = wal.replay(replayed::add);
            assertThat(report.clean())
                    .as("no torn or corrupted records: %s", report)
                    .isTrue();
        }
        assertThat(replayed).hasSize(acknowledged.size());
        for (int k = 0; k < acknowledged.size(); k++) {
            assertThat(replayed.get(k)).isEqualTo(record(acknowledged.get(k), 50_000));
        }
    }

    private static byte[] record(int n, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) n);
        return b;
    }
}
