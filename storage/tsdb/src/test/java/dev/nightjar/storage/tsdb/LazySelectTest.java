package dev.nightjar.storage.tsdb;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.HOUR;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.T0;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.fixedClock;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.series;
import static dev.nightjar.storage.tsdb.TsdbTestSupport.valueAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.Series;
import dev.nightjar.core.metrics.SeriesSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code select} hands out block chunks still compressed and decodes them while the caller iterates:
 * what it returns must still be exactly the samples in range, series without samples in range must
 * not appear, and an iterator must keep working after the blocks it came from are compacted or
 * deleted.
 */
class LazySelectTest {

    private static final long STEP = 60_000;

    @TempDir
    Path root;

    private final TenantId tenant = newTenant();

    @Test
    void aRangeInsideAGapOfOneBlockChunkSelectsNothing() {
        Labels labels = Labels.of("__name__", "gappy");
        try (Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT.withClock(fixedClock(T0 + 6 * HOUR)))) {
            db.append(
                    tenant,
                    MetricsBatch.of(List.of(new SeriesSamples(
                            labels, List.of(new Sample(T0, 1), new Sample(T0 + HOUR + 59 * STEP, 2))))));
            db.append(tenant, series(1, T0 + 2 * HOUR, T0 + 6 * HOUR, STEP));
            db.flushBefore(tenant, T0 + 4 * HOUR);
            assertThat(db.stats(tenant).blocks()).isPositive();

            // One chunk spans [T0, T0 + 1h59m]; nothing lies in between.
            assertThat(db.select(tenant, List.of(Matcher.metricName("gappy")), T0 + 1, T0 + HOUR))
                    .isEmpty();
            List<Series> edge = db.select(tenant, List.of(Matcher.metricName("gappy")), T0 + 1, T0 + 2 * HOUR);
            assertThat(edge)
                    .singleElement()
                    .satisfies(s -> assertThat(samplesOf(s)).containsExactly(new Sample(T0 + HOUR + 59 * STEP, 2)));
        }
    }

    @Test
    void iteratorsReturnExactlyTheRangeAcrossBlocksAndHead() {
        long end = T0 + 9 * HOUR;
        try (Tsdb db = Tsdb.open(root, TsdbOptions.DEFAULT.withClock(fixedClock(end)))) {
            for (long h = 0; h < 9; h++) {
                db.append(tenant, series(3, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
            db.flushBefore(tenant, T0 + 6 * HOUR);
            long[][] ranges = {
                {T0, end - 1},
                {T0 + 17 * STEP + 1, T0 + 7 * HOUR + 3},
                {T0 + 5 * HOUR, T0 + 5 * HOUR},
                {end - 1, end + HOUR}
            };
            for (long[] r : ranges) {
                List<Series> selected = db.select(tenant, List.of(Matcher.metricName("m")), r[0], r[1]);
                long first = Math.ceilDiv(r[0] - T0, STEP) * STEP + T0;
                long last = Math.min(end - STEP, Math.floorDiv(r[1] - T0, STEP) * STEP + T0);
                if (first > last) {
                    assertThat(selected).isEmpty();
                    continue;
                }
                assertThat(selected).hasSize(3);
                for (Series s : selected) {
                    int i = Integer.parseInt(s.labels().get("i"));
                    List<Sample> expected = new ArrayList<>();
                    for (long t = first; t <= last; t += STEP) {
                        expected.add(new Sample(t, valueAt(i, t)));
                    }
                    // Twice: every call to samples() starts over.
                    assertThat(samplesOf(s)).isEqualTo(expected);
                    assertThat(samplesOf(s)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void selectedSeriesOutliveCompactionAndRetentionOfTheirBlocks() {
        long end = T0 + 24 * HOUR;
        AtomicReference<Duration> retention = new AtomicReference<>(Duration.ofDays(3650));
        TsdbOptions options = TsdbOptions.DEFAULT.withClock(fixedClock(end)).withRetention(t -> retention.get());
        try (Tsdb db = Tsdb.open(root, options)) {
            for (long h = 0; h < 4; h++) {
                db.append(tenant, series(2, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
            db.flushBefore(tenant, T0 + 4 * HOUR);
            List<Series> selected = db.select(tenant, List.of(Matcher.metricName("m")), T0, T0 + 4 * HOUR - 1);
            assertThat(selected).hasSize(2);
            SampleIterator halfway = selected.getFirst().samples();
            for (int k = 0; k < 10; k++) {
                assertThat(halfway.next()).isTrue();
            }
            // Newer data and a shorter retention make the old blocks expire; their directories are deleted.
            retention.set(Duration.ofHours(6));
            for (long h = 4; h < 24; h++) {
                db.append(tenant, series(2, T0 + h * HOUR, T0 + (h + 1) * HOUR, STEP));
            }
            db.maintain();
            assertThat(db.select(tenant, List.of(Matcher.metricName("m")), T0, T0 + 4 * HOUR - 1))
                    .isEmpty();

            int rest = 0;
            while (halfway.next()) {
                long t = halfway.timestamp();
                assertThat(halfway.value()).isEqualTo(valueAt(0, t));
                rest++;
            }
            assertThat(rest).isEqualTo(4 * 60 - 10);
            assertThat(samplesOf(selected.get(1))).hasSize(4 * 60);
        }
    }

    private static List<Sample> samplesOf(Series s) {
        List<Sample> out = new ArrayList<>();
        SampleIterator it = s.samples();
        while (it.next()) {
            out.add(new Sample(it.timestamp(), it.value()));
        }
        return out;
    }
}
