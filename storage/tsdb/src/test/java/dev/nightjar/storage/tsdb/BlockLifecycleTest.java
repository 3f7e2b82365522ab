package dev.nightjar.storage.tsdb;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.HOUR;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.T0;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.blockDirs;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.fixedClock;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.series;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.valueAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.storage.testkit.metrics.MetricsFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockLifecycleTest {

    @TempDir
    Path root;

    private final TenantId tenant = newTenant();
    private static final long STEP = 60_000;

    private TsdbOptions options(long now) {
        return TsdbOptions.DEFAULT.withClock(fixedClock(now));
    }

    private void assertComplete(Tsdb db, int seriesCount, long from, long to) {
        List<Series> selected = db.select(tenant, List.of(Matcher.metricName("m")), from, to - 1);
        assertThat(selected).hasSize(seriesCount);
        for (Series s : selected) {
            int i = Integer.parseInt(s.labels().get("i"));
            List<Sample> samples = samplesOf(s);
            assertThat(samples).hasSize((int) ((to - from) / STEP));
            for (int k = 0; k < samples.size(); k++) {
                assertThat(samples.get(k)).isEqualTo(new Sample(from + k * STEP, valueAt(i, from + k * STEP)));
            }
        }
    }

    @Test
    void headIsCutIntoBlocksThatSurviveReopen() throws IOException {
        long end = T0 + 10 * HOUR;
        try (Tsdb db = Tsdb.open(root, options(end))) {
            for (long h = 0; h < 10; h++) {
                db.append(tenant, series(20, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
            // Appends queue due blocks on the maintenance thread; maintain() waits for that work.
            db.maintain();
            assertThat(db.stats(tenant).blocks()).isPositive();
            assertComplete(db, 20, T0, end);
        }
        assertThat(blockDirs(root, tenant)).isNotEmpty();
        try (Tsdb db = Tsdb.open(root, options(end))) {
            assertComplete(db, 20, T0, end);
            // Queries spanning block and head boundaries see each sample once.
            assertComplete(db, 20, T0 + HOUR + 30 * STEP, T0 + 9 * HOUR);
            assertThat(db.labelValues(tenant, "i", List.of(), T0, T0 + HOUR)).hasSize(20);
        }
    }

    @Test
    void adjacentBlocksAreCompactedIntoOneAlignedBlock() throws IOException {
        long end = T0 + 24 * HOUR;
        try (Tsdb db = Tsdb.open(root, options(end))) {
            for (long h = 0; h < 24; h++) {
                db.append(tenant, series(5, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
            db.flushBefore(tenant, end);
            TsdbStats stats = db.stats(tenant);
            // 24 h of 2 h blocks compacts to at most a few aligned blocks (18 h + 6 h windows).
            assertThat(stats.blocks()).isLessThanOrEqualTo(3);
            assertThat(stats.blockSamples()).isEqualTo(5L * 24 * 60);
            assertComplete(db, 5, T0, end);
        }
        List<Path> dirs = blockDirs(root, tenant);
        assertThat(dirs).hasSizeLessThanOrEqualTo(3);
        try (Tsdb db = Tsdb.open(root, options(end))) {
            assertComplete(db, 5, T0, end);
        }
    }

    @Test
    void retentionDeletesWholeExpiredBlocksPerTenant() throws IOException {
        TenantId keeper = newTenant();
        long end = T0 + 12 * HOUR;
        TsdbOptions opts =
                options(end).withRetention(t -> t.equals(keeper) ? Duration.ofDays(30) : Duration.ofHours(5));
        try (Tsdb db = Tsdb.open(root, opts)) {
            for (long h = 0; h < 12; h++) {
                db.append(tenant, series(3, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
                db.append(keeper, series(3, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
            db.maintain();
            List<Series> old = db.select(tenant, List.of(Matcher.metricName("m")), T0, T0 + 6 * HOUR - 1);
            assertThat(old).isEmpty();
            assertComplete(db, 3, T0 + 8 * HOUR, end);
            List<Series> kept = db.select(keeper, List.of(Matcher.metricName("m")), T0, T0 + HOUR - 1);
            assertThat(kept).hasSize(3);
        }
    }

    @Test
    void outOfOrderSamplesAreMergedIntoQueriesAndBlocks() {
        Labels m = Labels.of("__name__", "m", "i", "0");
        try (Tsdb db = Tsdb.open(root, options(T0))) {
            db.append(tenant, MetricsFixtures.batch(m, List.of(new Sample(T0 + 600_000, 2))));
            AppendResult late = db.append(
                    tenant,
                    MetricsFixtures.batch(
                            m, List.of(new Sample(T0 + 300_000, 1), new Sample(T0 + 600_000 - HOUR - 1, 0))));
            // The second sample is 1 ms beyond the default window (an hour behind the newest sample).
            assertThat(late).isEqualTo(new AppendResult(1, 1, 0));
            db.append(tenant, MetricsFixtures.batch(m, List.of(new Sample(T0 + 900_000, 3))));
            assertThat(MetricsFixtures.read(db, tenant, "m", T0, T0 + HOUR))
                    .extracting(Sample::value)
                    .containsExactly(1.0, 2.0, 3.0);
            db.append(tenant, MetricsFixtures.batch(m, List.of(new Sample(T0 + 4 * HOUR, 4))));
            db.maintain();
            assertThat(db.stats(tenant).blocks()).isEqualTo(1);
            assertThat(MetricsFixtures.read(db, tenant, "m", T0, T0 + 5 * HOUR))
                    .extracting(Sample::value)
                    .containsExactly(1.0, 2.0, 3.0, 4.0);
            // Data already in a block cannot be amended: the sample is counted as too old.
            assertThat(db.append(tenant, MetricsFixtures.batch(m, List.of(new Sample(T0 + 4 * HOUR - 60_000, 5))))
                            .accepted())
                    .isEqualTo(1);
            assertThat(db.append(tenant, MetricsFixtures.batch(m, List.of(new Sample(T0 + HOUR, 5))))
                            .tooOld())
                    .isEqualTo(1);
        }
    }

    @Test
    void aCorruptBlockIsSetAsideAndTheStoreStillOpens() throws IOException {
        long end = T0 + 10 * HOUR;
        try (Tsdb db = Tsdb.open(root, options(end))) {
            for (long h = 0; h < 10; h++) {
                db.append(tenant, series(4, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
        }
        List<Path> blocks = blockDirs(root, tenant);
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        Path victim = blocks.getFirst().resolve("index");
        byte[] bytes = java.nio.file.Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x33;
        java.nio.file.Files.write(victim, bytes);

        try (Tsdb db = Tsdb.open(root, options(end))) {
            assertThat(blockDirs(root, tenant))
                    .anyMatch(p -> p.getFileName().toString().endsWith(".broken"));
            // Everything after the damaged block is still served.
            assertComplete(db, 4, T0 + 8 * HOUR, end);
        }
        try (Tsdb db = Tsdb.open(root, options(end))) {
            assertThat(blockDirs(root, tenant))
                    .noneMatch(p -> p.getFileName().toString().endsWith(".broken.broken"));
            assertComplete(db, 4, T0 + 8 * HOUR, end);
        }
    }
}
