package dev.nightjar.storage.tsdb;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.batch;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.ramp;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.read;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.testing.SmallTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the metrics WAL: appends fail with a retryable error, a half-written frame is cut
 * off again, and once space returns later appends are acknowledged and every acknowledged sample
 * survives a reopen without a WAL repair.
 */
class WalDiskFullTest {
    @TempDir
    Path mountPoint;

    private SmallTmpfs tmpfs;
    private final TenantId tenant = newTenant();

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
    void fullDiskFailsRetryablyAndLosesNothingAcknowledged() throws Exception {
        Path dir = mountPoint.resolve("metrics");
        Path filler = mountPoint.resolve("filler");
        Files.write(filler, new byte[1792 * 1024]);
        List<Sample> acknowledged = new ArrayList<>();
        Labels m = Labels.of("__name__", "m");
        // 100 ms apart, so the whole test stays inside one block range and only the WAL is written.
        Tsdb db = Tsdb.open(dir, TsdbOptions.DEFAULT);
        MetricsStoreException failure = null;
        long t = T0;
        int batches = 0;
        while (failure == null && batches++ < 10_000) {
            List<Sample> samples = ramp(t, 100, 500, 1);
            try {
                db.append(tenant, batch(m, samples));
                acknowledged.addAll(samples);
            } catch (MetricsStoreException e) {
                failure = e;
            }
            t += 500 * 100L;
        }
        assertThat(failure).as("the small disk filled up").isNotNull();
        assertThat(failure.retryable()).isTrue();
        assertThat(acknowledged).isNotEmpty();

        Files.delete(filler);
        List<Sample> after = ramp(t, 100, 500, 1);
        db.append(tenant, batch(m, after));
        acknowledged.addAll(after);
        // No close: what survives is what the WAL holds.

        try (Tsdb reopened = Tsdb.open(dir, TsdbOptions.DEFAULT)) {
            assertThat(reopened.walRepairs())
                    .as("no torn frame left in the WAL")
                    .isEmpty();
            assertThat(read(reopened, tenant, "m", T0, t + 500 * 100L)).containsAll(acknowledged);
        } finally {
            db.close(); // open files would keep the tmpfs busy at unmount
        }
    }
}
