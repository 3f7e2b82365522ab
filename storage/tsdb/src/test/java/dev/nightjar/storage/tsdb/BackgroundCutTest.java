package dev.nightjar.storage.tsdb;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.HOUR;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.T0;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.fixedClock;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.valueAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.SeriesSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks are cut on a maintenance thread while appends and queries go on: every acknowledged sample is
 * seen exactly once by queries during the switch, and after a crash at any step of a cut.
 */
class BackgroundCutTest {

    @TempDir
    Path root;

    private final TenantId tenant = newTenant();
    private static final long STEP = 60_000;
    private static final long END = T0 + 30 * HOUR;

    private TsdbOptions options() {
        return TsdbOptions.DEFAULT.withClock(fixedClock(END));
    }

    /** Series "m{w=<writer>,i=<i>}", one sample a minute in {@code [from, to)}. */
    private static MetricsBatch batch(int writer, int seriesCount, long from, long to) {
        List<SeriesSamples> out = new ArrayList<>();
        for (int i = 0; i < seriesCount; i++) {
            List<Sample> samples = new ArrayList<>();
            for (long t = from; t < to; t += STEP) {
                samples.add(new Sample(t, valueAt(i, t)));
            }
            out.add(new SeriesSamples(
                    Labels.of("__name__", "m", "w", Integer.toString(writer), "i", Integer.toString(i)), samples));
        }
        return MetricsBatch.of(out);
    }

    /** Every series of the writer has exactly its samples in {@code [T0, to)}: no gap, no duplicate. */
    private static void assertExactlyOnce(Tsdb db, TenantId tenant, int writer, int seriesCount, long to) {
        List<Series> selected = db.select(
                tenant, List.of(Matcher.metricName("m"), Matcher.equal("w", Integer.toString(writer))), T0, to - 1);
        assertThat(selected).hasSize(seriesCount);
        for (Series s : selected) {
            int i = Integer.parseInt(s.labels().get("i"));
            List<Sample> samples = samplesOf(s);
            assertThat(samples).hasSize((int) ((to - T0) / STEP));
            for (int k = 0; k < samples.size(); k++) {
                long t = T0 + k * STEP;
                assertThat(samples.get(k)).isEqualTo(new Sample(t, valueAt(i, t)));
            }
        }
    }

    @Test
    void appendsAndQueriesRunThroughCutsAndSeeEverySampleOnce() throws Exception {
        int writers = 2;
        int seriesEach = 40;
        long batchSpan = 10 * STEP;
        // One tenant per writer: the out-of-order window is per tenant, and the tenants share one
        // maintenance thread.
        TenantId[] tenants = {tenant, newTenant()};
        Tsdb db = Tsdb.open(root, options());
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        AtomicLong[] acknowledged = new AtomicLong[writers];
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> writing = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            acknowledged[w] = new AtomicLong(T0);
            writing.add(pool.submit(() -> {
                for (long t = T0; t < END; t += batchSpan) {
                    assertThat(db.append(tenants[writer], batch(writer, seriesEach, t, t + batchSpan))
                                    .accepted())
                            .isEqualTo(seriesEach * (batchSpan / STEP));
                    acknowledged[writer].set(t + batchSpan);
                }
                return null;
            }));
        }
        // Besides the cuts appends queue, a caller that asks for maintenance races them too.
        Future<?> cutter = pool.submit(() -> {
            while (!done.get()) {
                db.maintain();
                Thread.onSpinWait();
            }
            return null;
        });
        AtomicLong queries = new AtomicLong();
        Future<?> reader = pool.submit(() -> {
            while (!done.get()) {
                for (int w = 0; w < writers; w++) {
                    long to = acknowledged[w].get();
                    if (to > T0) {
                        assertExactlyOnce(db, tenants[w], w, seriesEach, to);
                        queries.incrementAndGet();
                    }
                }
            }
            return null;
        });
        try {
            for (Future<?> f : writing) {
                f.get();
            }
        } finally {
            done.set(true);
            pool.shutdown();
            if (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
        }
        cutter.get();
        reader.get();
        db.maintain();
        assertThat(queries.get()).isPositive();
        // 30 h of data: the head keeps the last 1-3 h, the rest was cut (and compacted) into blocks.
        for (int w = 0; w < writers; w++) {
            assertThat(db.stats(tenants[w]).blockSamples()).isGreaterThanOrEqualTo((long) seriesEach * 27 * 60);
            assertExactlyOnce(db, tenants[w], w, seriesEach, END);
        }
        // No close: a crash after the cuts leaves blocks, a WAL checkpoint and the later segments.
        try (Tsdb reopened = Tsdb.open(root, options())) {
            for (int w = 0; w < writers; w++) {
                assertExactlyOnce(reopened, tenants[w], w, seriesEach, END);
            }
            assertThat(reopened.walRepairs()).isEmpty();
        }
        db.close();
    }

    @Test
    void aCrashAtAnyStepOfACutRecoversEachAcknowledgedSampleOnce() throws IOException {
        int seriesCount = 30;
        long batchSpan = 30 * STEP;
        Path tenantDir = root.resolve("tenants").resolve(tenant.toString());
        Path before = root.resolve("before");
        long end = T0;
        // Cuts that fall due are held back until maintain() runs them, so each step can be observed. Data
        // arrives in half hours, with maintenance after each as the background thread would run it, until
        // a cut lets the WAL drop segments (the first cut cannot: the only segment also holds newer data).
        try (Tsdb db = Tsdb.open(root, options(), task -> {})) {
            while (!Files.exists(tenantDir)
                    || names(tenantDir.resolve("wal")).stream().noneMatch(n -> n.startsWith("checkpoint."))) {
                assertThat(end).isLessThan(T0 + 24 * HOUR);
                db.append(tenant, batch(0, seriesCount, end, end + batchSpan));
                end += batchSpan;
                TsdbFiles.deleteRecursively(before);
                copy(tenantDir, before);
                db.maintain();
            }
            assertThat(db.stats(tenant).blocks()).isPositive();
            assertExactlyOnce(db, tenant, 0, seriesCount, end);
        }
        // Crash before the block was renamed into place: the earlier blocks and WAL (and a temporary dir).
        Path beforeBlock = crashState("before-block", before, tenantDir, false, false);
        Files.createDirectories(beforeBlock.resolve("tenants/" + tenant + "/blocks/b-unfinished.tmp"));
        // Crash after the block, before the WAL checkpoint: samples in both, each must count once.
        Path afterBlock = crashState("after-block", before, tenantDir, true, false);
        // Crash after the checkpoint, before the old segments were deleted.
        Path afterCheckpoint = crashState("after-checkpoint", before, tenantDir, true, true);
        for (Path state : List.of(beforeBlock, afterBlock, afterCheckpoint, root)) {
            try (Tsdb reopened = Tsdb.open(state, options(), task -> {})) {
                assertExactlyOnce(reopened, tenant, 0, seriesCount, end);
                assertThat(reopened.walRepairs()).isEmpty();
                // Writing on and cutting again after recovery keeps every sample once, across another reopen.
                reopened.append(tenant, batch(0, seriesCount, end, end + 4 * HOUR));
                reopened.maintain();
                assertExactlyOnce(reopened, tenant, 0, seriesCount, end + 4 * HOUR);
            }
            try (Tsdb again = Tsdb.open(state, options(), task -> {})) {
                assertExactlyOnce(again, tenant, 0, seriesCount, end + 4 * HOUR);
                assertThat(again.stats(tenant).blocks()).isPositive();
            }
        }
    }

    /**
     * A copy of the tenant's files as a crash at one step of the cut leaves them: the WAL and blocks from
     * before the cut, with or without the written block, with or without the checkpoint and its deletions.
     */
    private Path crashState(String name, Path before, Path after, boolean block, boolean checkpoint)
            throws IOException {
        Path state = root.resolve(name);
        Path dir = state.resolve("tenants").resolve(tenant.toString());
        copy(before, dir);
        if (block) {
            copy(after.resolve("blocks"), dir.resolve("blocks"));
        }
        try (Stream<Path> files = Files.list(after.resolve("wal"))) {
            for (Path p : files.toList()) {
                // Segments started by the cut exist in every state; the checkpoint only once written.
                boolean isCheckpoint = p.getFileName().toString().startsWith("checkpoint.");
                if (checkpoint
                        || (!isCheckpoint && !Files.exists(dir.resolve("wal").resolve(p.getFileName())))) {
                    Files.copy(p, dir.resolve("wal").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return state;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
