package dev.nightjar.sensors.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.export.MetricsBuilder.Attr;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsBuilderTest {

    private static final long START = 1_000_000_000L;
    private static final double[] BOUNDS = {0.1, 1};

    /** One export: a counter of every named series with its value, and a histogram. */
    private static List<Metric> export(SeriesSeen seen, long previous, long now, String... series) {
        MetricsBuilder m = new MetricsBuilder(START, previous, now, seen);
        for (String name : series) {
            m.counter("requests", "1", "", 5, Attr.of("peer", name));
        }
        m.histogram("duration", "s", "", BOUNDS, new long[] {1, 2, 0}, 0.4, Attr.of("peer", "a"));
        return m.build();
    }

    private static List<NumberDataPoint> points(List<Metric> metrics) {
        return metrics.stream()
                .filter(m -> m.getName().equals("requests"))
                .flatMap(m -> m.getSum().getDataPointsList().stream())
                .toList();
    }

    private static List<HistogramDataPoint> histogram(List<Metric> metrics) {
        return metrics.stream()
                .filter(m -> m.getName().equals("duration"))
                .flatMap(m -> m.getHistogram().getDataPointsList().stream())
                .toList();
    }

    @Test
    void aSeriesNewSinceTheLastExportStartsWithAZeroPointAtThatExport() {
        SeriesSeen seen = new SeriesSeen(1024);
        // The first export: no zero points (its counters may hold what predates the sensor).
        List<Metric> first = export(seen, 0, 10_000, "a");
        assertThat(points(first))
                .singleElement()
                .satisfies(p -> assertThat(p.getTimeUnixNano()).isEqualTo(10_000));
        assertThat(histogram(first)).hasSize(1);

        // A series that appeared since: its zero at the previous export, then its value.
        List<NumberDataPoint> second = points(export(seen, 10_000, 20_000, "a", "b"));
        assertThat(second).hasSize(3);
        assertThat(second.get(0).getTimeUnixNano()).isEqualTo(20_000);
        assertThat(second.get(1).getAsInt()).isZero();
        assertThat(second.get(1).getTimeUnixNano()).isEqualTo(10_000);
        assertThat(second.get(1).getStartTimeUnixNano()).isEqualTo(START);
        assertThat(second.get(1).getAttributesList()).isEqualTo(second.get(2).getAttributesList());
        assertThat(second.get(2).getAsInt()).isEqualTo(5);
        assertThat(second.get(2).getTimeUnixNano()).isEqualTo(20_000);

        // Known from then on.
        assertThat(points(export(seen, 20_000, 30_000, "a", "b"))).hasSize(2);
    }

    @Test
    void aNewHistogramStartsAtZeroInEveryBucket() {
        SeriesSeen seen = new SeriesSeen(1024);
        export(seen, 0, 10_000);
        MetricsBuilder m = new MetricsBuilder(START, 10_000, 20_000, seen);
        m.histogram("duration", "s", "", BOUNDS, new long[] {1, 2, 0}, 0.4, Attr.of("peer", "new"));
        List<HistogramDataPoint> points = histogram(m.build());
        assertThat(points).hasSize(2);
        assertThat(points.get(0).getTimeUnixNano()).isEqualTo(10_000);
        assertThat(points.get(0).getCount()).isZero();
        assertThat(points.get(0).getSum()).isZero();
        assertThat(points.get(0).getBucketCountsList()).containsExactly(0L, 0L, 0L);
        assertThat(points.get(0).getExplicitBoundsList()).containsExactly(0.1, 1.0);
        assertThat(points.get(1).getCount()).isEqualTo(3);
    }

    @Test
    void theRememberedSeriesAreBoundedAndAFullSetAddsNoZeroPoints() {
        SeriesSeen seen = new SeriesSeen(16);
        for (long h = 1; h <= 16; h++) {
            assertThat(seen.add(h * 7919)).isTrue();
        }
        assertThat(seen.add(7919)).isFalse();
        assertThat(seen.add(999_999)).isFalse(); // full: not remembered, so no zero point
        assertThat(seen.contains(999_999)).isFalse();
        assertThat(seen.contains(16 * 7919)).isTrue();
        assertThat(seen.size()).isEqualTo(16);
    }
}
