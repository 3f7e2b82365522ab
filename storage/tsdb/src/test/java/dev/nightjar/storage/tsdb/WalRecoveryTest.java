package dev.nightjar.storage.tsdb;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.batch;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.ramp;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.read;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.T0;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.walSegment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.Sample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {

    @TempDir
    Path root;

    private final TenantId tenant = newTenant();
    private final Labels m = Labels.of("__name__", "m");

    @Test
    void acknowledgedSamplesSurviveAReopenWithoutClose() {
        Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT);
        db.append(tenant, batch(m, ramp(T0, 15_000, 300, 1)));
        db.append(tenant, new MetricsBatch(List.of(), List.of(new MetricMetadata("m", MetricType.GAUGE, "h", "u"))));
        // No close: a crash leaves only what the WAL holds.

        try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            assertThat(read(reopened, tenant, "m", T0, T0 + 10_000_000))
                    .containsExactlyElementsOf(ramp(T0, 15_000, 300, 1));
            assertThat(reopened.metadata(tenant)).containsExactly(new MetricMetadata("m", MetricType.GAUGE, "h", "u"));
            assertThat(reopened.walRepairs()).isEmpty();
        }
        db.close();
    }

    @Test
    void columnWritesAndALongCheckpointSurviveAReopenWithoutClose() {
        // A clock at the data's time, so retention keeps the block.
        TsdbOptions options = TsdbOptions.DEFAULT.withClock(TsdbTestSupport.fixedClock(T0 + 4 * 3_600_000L));
        Tsdb db = Tsdb.open(root, options);
        Labels dense = Labels.of("__name__", "dense");
        // 300,000 samples 40 ms apart (3.3 h): the first block is cut and the WAL checkpointed with the
        // rest of the head (over an hour: a series longer than one checkpoint record).
        int n = 300_000;
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * 40L;
            vs[i] = i * 0.5;
        }
        List<Labels> series = List.of(dense, m, m);
        MetricsColumns columns = new MetricsColumns(series, new int[] {0, n - 2, n - 1, n}, ts, vs, List.of());
        assertThat(db.appendColumns(tenant, columns).accepted()).isEqualTo(n);
        db.maintain();
        assertThat(db.stats(tenant).blocks()).isPositive();
        long[] more = {T0 + n * 40L, T0 + n * 40L + 40};
        db.appendColumns(
                tenant,
                new MetricsColumns(List.of(dense), new int[] {0, 2}, more, new double[] {-1, Double.NaN}, List.of()));
        // No close: a crash leaves only blocks and what the WAL holds.

        try (Tsdb reopened = Tsdb.open(root, options)) {
            List<Sample> expected = new ArrayList<>();
            for (int i = 0; i < n - 2; i++) {
                expected.add(new Sample(ts[i], vs[i]));
            }
            expected.add(new Sample(more[0], -1));
            expected.add(new Sample(more[1], Double.NaN));
            // List equality: one pass (an element-by-element assertion over 300,000 samples is slow).
            assertThat(read(reopened, tenant, "dense", T0, T0 + 100_000_000).equals(expected))
                    .isTrue();
            assertThat(read(reopened, tenant, "m", T0, T0 + 100_000_000))
                    .containsExactly(new Sample(ts[n - 2], vs[n - 2]), new Sample(ts[n - 1], vs[n - 1]));
            assertThat(reopened.walRepairs()).isEmpty();
        }
        db.close();
    }

    @Test
    void tornTailIsCutAndReportedAndAcknowledgedSamplesRemain() throws IOException {
        try (Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            db.append(tenant, batch(m, ramp(T0, 15_000, 100, 1)));
        }
        Path segment = walSegment(root, tenant);
        long intact = Files.size(segment);
        // A record whose write was torn by a crash: a header promising more bytes than follow.
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 2, 9, 9}));
        }

        try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            assertThat(read(reopened, tenant, "m", T0, T0 + 10_000_000)).hasSize(100);
            assertThat(reopened.walRepairs()).singleElement().satisfies(r -> {
                assertThat(r.tenant()).isEqualTo(tenant);
                assertThat(r.offset()).isEqualTo(intact);
                assertThat(r.droppedBytes()).isEqualTo(11);
                assertThat(r.reason()).contains("torn");
            });
            assertThat(Files.size(segment)).isEqualTo(intact);
            reopened.append(tenant, batch(m, ramp(T0 + 100 * 15_000, 15_000, 10, 1)));
        }
        // The repair is done once; the next open is clean and sees both writes.
        try (Tsdb again = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            assertThat(again.walRepairs()).isEmpty();
            assertThat(read(again, tenant, "m", T0, T0 + 10_000_000)).hasSize(110);
        }
    }

    @Test
    void corruptRecordIsCutWithEverythingAfterIt() throws IOException {
        long afterFirst;
        try (Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            db.append(tenant, batch(m, ramp(T0, 15_000, 50, 1)));
            afterFirst = Files.size(walSegment(root, tenant));
            db.append(tenant, batch(m, ramp(T0 + 50 * 15_000, 15_000, 50, 1)));
        }
        Path segment = walSegment(root, tenant);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[(int) afterFirst + 20] ^= 0x5A;
        Files.write(segment, bytes);

        try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            List<Sample> samples = read(reopened, tenant, "m", T0, T0 + 10_000_000);
            assertThat(samples).containsExactlyElementsOf(ramp(T0, 15_000, 50, 1));
            assertThat(reopened.walRepairs()).singleElement().satisfies(r -> {
                assertThat(r.offset()).isEqualTo(afterFirst);
                assertThat(r.reason()).contains("checksum");
            });
        }
    }

    @Test
    void garbageAndTruncatedFilesNeverStopTheStoreFromOpening() throws IOException {
        try (Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            db.append(tenant, batch(m, ramp(T0, 15_000, 10, 1)));
        }
        Path segment = walSegment(root, tenant);
        byte[] bytes = Files.readAllBytes(segment);
        for (int cut = bytes.length - 1; cut >= 0; cut -= 7) {
            Files.write(segment, java.util.Arrays.copyOf(bytes, cut));
            try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
                assertThat(read(reopened, tenant, "m", T0, T0 + 10_000_000).size())
                        .isLessThan(10);
            }
        }
        java.util.Random random = new java.util.Random(3);
        byte[] garbage = new byte[4096];
        random.nextBytes(garbage);
        Files.write(segment, garbage);
        try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            assertThat(reopened.walRepairs()).hasSize(1);
            assertThat(reopened.append(tenant, batch(m, T0, 1000)).accepted()).isEqualTo(1);
        }
    }

    @Test
    void concurrentAppendersShareFsyncs() throws Exception {
        int appenders = 8;
        int batchesEach = 50;
        try (Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            ExecutorService pool = Executors.newFixedThreadPool(appenders);
            List<Future<?>> futures = new ArrayList<>();
            for (int a = 0; a < appenders; a++) {
                Labels series = Labels.of("__name__", "c", "appender", Integer.toString(a));
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batchesEach; b++) {
                        db.append(tenant, batch(series, List.of(new Sample(T0 + b * 1000L, b))));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            TsdbStats stats = db.stats(tenant);
            assertThat(stats.walSyncs()).isPositive().isLessThanOrEqualTo((long) appenders * batchesEach);
        }
        try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            assertThat(reopened.select(
                            tenant, List.of(dev.nightjar.core.metrics.Matcher.metricName("c")), T0, T0 + 100_000))
                    .hasSize(appenders)
                    .allSatisfy(s -> assertThat(dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf(s))
                            .hasSize(batchesEach));
        }
    }

    @Test
    void concurrentAppendsToSharedAndNewSeriesReplayExactlyWithoutClose() throws Exception {
        // WAL records are written after the tenant's write lock is released; they must still reach the
        // WAL in the order the appends changed the head: a series' creation (by whichever appender came
        // first) before any sample of it, and nothing acknowledged missing after a crash.
        int appenders = 4;
        int batchesEach = 100;
        Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT);
        ExecutorService pool = Executors.newFixedThreadPool(appenders);
        List<Future<?>> futures = new ArrayList<>();
        for (int a = 0; a < appenders; a++) {
            int appender = a;
            futures.add(pool.submit(() -> {
                for (int b = 0; b < batchesEach; b++) {
                    long t = T0 + (b * (long) appenders + appender) * 1000L;
                    db.append(
                            tenant,
                            new MetricsBatch(
                                    List.of(
                                            new dev.nightjar.core.metrics.SeriesSamples(
                                                    Labels.of("__name__", "shared", "s", Integer.toString(b % 5)),
                                                    List.of(new Sample(t, appender))),
                                            new dev.nightjar.core.metrics.SeriesSamples(
                                                    Labels.of("__name__", "fresh", "b", Integer.toString(b)),
                                                    List.of(new Sample(t, b)))),
                                    List.of()));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        List<dev.nightjar.core.metrics.Series> live =
                db.select(tenant, List.of(dev.nightjar.core.metrics.Matcher.metricName("shared")), T0, T0 + 1_000_000);
        List<dev.nightjar.core.metrics.Series> liveFresh =
                db.select(tenant, List.of(dev.nightjar.core.metrics.Matcher.metricName("fresh")), T0, T0 + 1_000_000);
        assertThat(live.stream()
                        .mapToInt(s -> dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf(s)
                                .size())
                        .sum())
                .isEqualTo(appenders * batchesEach);
        assertThat(liveFresh).hasSize(batchesEach);
        // No close: a crash leaves only what the WAL holds.
        try (Tsdb reopened = Tsdb.open(root, TsdbOptions.DEFAULT)) {
            assertThat(reopened.walRepairs()).isEmpty();
            for (String name : List.of("shared", "fresh")) {
                List<dev.nightjar.core.metrics.Series> before = db.select(
                        tenant, List.of(dev.nightjar.core.metrics.Matcher.metricName(name)), T0, T0 + 1_000_000);
                List<dev.nightjar.core.metrics.Series> after = reopened.select(
                        tenant, List.of(dev.nightjar.core.metrics.Matcher.metricName(name)), T0, T0 + 1_000_000);
                assertThat(bySeries(after)).isEqualTo(bySeries(before));
            }
        }
        db.close();
    }

    private static java.util.Map<Labels, List<Sample>> bySeries(List<dev.nightjar.core.metrics.Series> series) {
        java.util.Map<Labels, List<Sample>> out = new java.util.HashMap<>();
        for (dev.nightjar.core.metrics.Series s : series) {
            out.put(s.labels(), dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf(s));
        }
        return out;
    }
}
