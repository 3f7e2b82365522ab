package dev.nightjar.storage.testkit.metrics;

import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.batch;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.labelsOf;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.newTenant;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.ramp;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.read;
import static dev.nightjar.storage.testkit.metrics.MetricsFixtures.samplesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.AppendResult;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.StaleMarker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every metrics store must do. A backend extends this class and supplies {@link #open}; a gap
 * is an explicit {@code @Disabled("why")} override, never a missing test.
 */
public abstract class MetricsStoreConformanceTest {

    protected static final long T0 = 1_700_000_000_000L;

    private final List<MetricsStore> opened = new ArrayList<>();

    /** A fresh, empty store with these limits. */
    protected abstract MetricsStore open(MetricsLimits limits);

    protected MetricsStore store() {
        return store(MetricsLimits.DEFAULT);
    }

    protected MetricsStore store(MetricsLimits limits) {
        MetricsStore store = open(limits);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MetricsStore::close);
    }

    @Test
    void appendedSamplesAreReadBackInTimestampOrder() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        Labels up = Labels.of("__name__", "up", "job", "api");
        List<Sample> samples = ramp(T0, 15_000, 500, 1.5);
        List<Sample> shuffled = new ArrayList<>(samples);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));

        AppendResult result = store.append(tenant, batch(up, shuffled));

        assertThat(result.accepted()).isEqualTo(500);
        assertThat(result.rejected()).isZero();
        assertThat(read(store, tenant, "up", T0, T0 + 10_000_000)).containsExactlyElementsOf(samples);
    }

    @Test
    void selectionRestrictsSamplesToTheInclusiveRange() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        store.append(tenant, batch(Labels.of("__name__", "m"), ramp(T0, 1000, 10, 1)));

        List<Sample> window = read(store, tenant, "m", T0 + 2000, T0 + 5000);

        assertThat(window).extracting(Sample::timestampMs).containsExactly(T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000);
        assertThat(read(store, tenant, "m", T0 + 20_000, T0 + 30_000)).isEmpty();
    }

    @Test
    void matchersFollowPrometheusSemantics() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        Labels a = Labels.of("__name__", "http_requests_total", "job", "api", "code", "200");
        Labels b = Labels.of("__name__", "http_requests_total", "job", "api-canary", "code", "500");
        Labels c = Labels.of("__name__", "http_requests_total", "job", "web");
        for (Labels l : List.of(a, b, c)) {
            store.append(tenant, batch(l, T0, 1000));
        }
        Matcher name = Matcher.metricName("http_requests_total");

        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.equal("job", "api")), T0, T0)))
                .containsExactly(a);
        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.notEqual("job", "api")), T0, T0)))
                .containsExactly(b, c);
        // Anchored: "api" does not match "api-canary".
        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.regex("job", "api")), T0, T0)))
                .containsExactly(a);
        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.regex("job", "api.*")), T0, T0)))
                .containsExactly(a, b);
        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.notRegex("job", "api.*")), T0, T0)))
                .containsExactly(c);
        // A missing label matches as the empty string.
        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.equal("code", "")), T0, T0)))
                .containsExactly(c);
        assertThat(labelsOf(store.select(tenant, List.of(name, Matcher.regex("code", "5..|")), T0, T0)))
                .containsExactly(b, c);
        assertThat(labelsOf(store.select(tenant, List.of(Matcher.regex("__name__", "http_.+_total")), T0, T0)))
                .containsExactly(a, b, c);
    }

    @Test
    void selectionThatMatchesEverySeriesIsRefused() {
        MetricsStore store = store();
        assertThatThrownBy(() -> store.select(newTenant(), List.of(Matcher.regex("job", ".*")), T0, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.select(newTenant(), List.of(), T0, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantsNeverSeeEachOthersSeries() {
        MetricsStore store = store();
        TenantId one = newTenant();
        TenantId two = newTenant();
        store.append(one, batch(Labels.of("__name__", "secret", "x", "1"), T0, 1000));
        store.append(two, batch(Labels.of("__name__", "other"), T0, 2000));

        assertThat(store.select(two, List.of(Matcher.metricName("secret")), T0, T0))
                .isEmpty();
        assertThat(store.labelNames(two, List.of(), T0, T0)).doesNotContain("x");
        assertThat(store.labelValues(two, "__name__", List.of(), T0, T0)).containsExactly("other");
        assertThat(read(store, one, "secret", T0, T0)).containsExactly(new Sample(T0, 1.0));
    }

    @Test
    void labelNamesAndValuesHonourMatchersAndRange() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        store.append(tenant, batch(Labels.of("__name__", "a", "job", "x", "zone", "eu"), T0, 1000));
        store.append(tenant, batch(Labels.of("__name__", "b", "job", "y"), T0 + 60_000, 1000));

        assertThat(store.labelNames(tenant, List.of(), T0, T0 + 60_000)).containsExactly("__name__", "job", "zone");
        assertThat(store.labelNames(tenant, List.of(Matcher.metricName("b")), T0, T0 + 60_000))
                .containsExactly("__name__", "job");
        assertThat(store.labelValues(tenant, "job", List.of(), T0, T0 + 60_000)).containsExactly("x", "y");
        assertThat(store.labelValues(tenant, "job", List.of(), T0 + 1, T0 + 60_000))
                .containsExactly("y");
        assertThat(store.labelValues(tenant, "job", List.of(Matcher.equal("zone", "eu")), T0, T0 + 60_000))
                .containsExactly("x");
        assertThat(store.labelValues(tenant, "nope", List.of(), T0, T0 + 60_000))
                .isEmpty();
    }

    @Test
    void metadataIsKeptPerFamilyAndUpdated() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        store.append(
                tenant,
                new MetricsBatch(
                        List.of(),
                        List.of(
                                new MetricMetadata("http_requests", MetricType.COUNTER, "Requests.", ""),
                                new MetricMetadata("temp", MetricType.GAUGE, "Temperature.", "celsius"))));
        store.append(
                tenant,
                new MetricsBatch(
                        List.of(),
                        List.of(new MetricMetadata("temp", MetricType.GAUGE, "Temperature now.", "celsius"))));

        assertThat(store.metadata(tenant))
                .containsExactly(
                        new MetricMetadata("http_requests", MetricType.COUNTER, "Requests.", ""),
                        new MetricMetadata("temp", MetricType.GAUGE, "Temperature now.", "celsius"));
        assertThat(store.metadata(newTenant())).isEmpty();
    }

    @Test
    void specialValuesAndTheStaleMarkerKeepTheirBits() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        List<Sample> samples = List.of(
                new Sample(T0, Double.NaN),
                new Sample(T0 + 1, Double.POSITIVE_INFINITY),
                new Sample(T0 + 2, Double.NEGATIVE_INFINITY),
                new Sample(T0 + 3, -0.0),
                new Sample(T0 + 4, StaleMarker.VALUE),
                new Sample(T0 + 5, Double.MIN_VALUE),
                new Sample(T0 + 6, Double.MAX_VALUE));
        store.append(tenant, batch(Labels.of("__name__", "odd"), samples));

        List<Sample> back = read(store, tenant, "odd", T0, T0 + 10);

        assertThat(back).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            assertThat(Double.doubleToRawLongBits(back.get(i).value()))
                    .as("sample %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(samples.get(i).value()));
        }
        assertThat(back.get(4).isStaleMarker()).isTrue();
        assertThat(back.get(0).isStaleMarker()).isFalse();
    }

    @Test
    void outOfOrderSamplesWithinTheWindowAreAcceptedAndOlderOnesCounted() {
        MetricsStore store = store(new MetricsLimits(1000, Duration.ofMinutes(10)));
        TenantId tenant = newTenant();
        Labels m = Labels.of("__name__", "m");
        store.append(tenant, batch(m, T0 + 3_600_000, 1000));

        AppendResult late = store.append(
                tenant,
                batch(
                        m,
                        List.of(
                                new Sample(T0 + 3_600_000 - 60_000, 2),
                                new Sample(T0 + 3_600_000 - 600_000, 3),
                                new Sample(T0 + 3_600_000 - 600_001, 4),
                                new Sample(T0, 5))));

        assertThat(late).isEqualTo(new AppendResult(2, 2, 0));
        assertThat(read(store, tenant, "m", T0, T0 + 4_000_000))
                .extracting(Sample::value)
                .containsExactly(3.0, 2.0, 1.0);
    }

    @Test
    void sameTimestampWithAnotherValueIsADuplicateButARetryIsAccepted() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        Labels m = Labels.of("__name__", "m");
        store.append(tenant, batch(m, T0, 1000, T0 + 1000, 2000));

        AppendResult retry = store.append(tenant, batch(m, T0, 1000, T0 + 1000, 2000));
        AppendResult conflict = store.append(tenant, batch(m, T0 + 1000, 9000));

        assertThat(retry).isEqualTo(new AppendResult(2, 0, 0));
        assertThat(conflict).isEqualTo(new AppendResult(0, 0, 1));
        assertThat(read(store, tenant, "m", T0, T0 + 1000))
                .extracting(Sample::value)
                .containsExactly(1.0, 2.0);
    }

    @Test
    void seriesLimitRefusesTheWholeBatchWithAClearMessage() {
        MetricsStore store = store(new MetricsLimits(3, Duration.ofMinutes(10)));
        TenantId tenant = newTenant();
        store.append(tenant, batch(Labels.of("__name__", "s", "i", "1"), T0, 1000));
        store.append(tenant, batch(Labels.of("__name__", "s", "i", "2"), T0, 1000));
        List<SeriesSamples> two = List.of(
                new SeriesSamples(Labels.of("__name__", "s", "i", "1"), List.of(new Sample(T0 + 1, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "3"), List.of(new Sample(T0 + 1, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "4"), List.of(new Sample(T0 + 1, 1))));

        assertThatThrownBy(() -> store.append(tenant, MetricsBatch.of(two)))
                .isInstanceOf(SeriesLimitExceededException.class)
                .hasMessageContaining("limit is 3")
                .hasMessageContaining("2 new series");
        assertThat(store.select(tenant, List.of(Matcher.metricName("s")), T0, T0 + 1))
                .hasSize(2)
                .allSatisfy(s -> assertThat(samplesOf(s)).hasSize(1));
        // Existing series keep accepting samples at the limit.
        store.append(tenant, batch(Labels.of("__name__", "s", "i", "3"), T0, 1000));
        assertThat(store.append(tenant, batch(Labels.of("__name__", "s", "i", "1"), T0 + 5, 1000))
                        .accepted())
                .isEqualTo(1);
        // Another tenant has its own budget.
        assertThat(store.append(newTenant(), MetricsBatch.of(two)).accepted()).isEqualTo(3);
    }

    @Test
    void hostileSeriesAreRefusedBeforeAnythingIsStored() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        assertThatThrownBy(() -> store.append(tenant, batch(Labels.of("job", "x"), T0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric name");
        assertThatThrownBy(() -> store.append(tenant, batch(Labels.of("__name__", "1bad"), T0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        store.append(tenant, batch(Labels.of("__name__", "m", "v", "x".repeat(100_000)), T0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        String[] many = new String[2 * 200];
        for (int i = 0; i < 200; i++) {
            many[2 * i] = "l" + i;
            many[2 * i + 1] = "v";
        }
        Labels wide = Labels.of(many).with("__name__", "m");
        assertThatThrownBy(() -> store.append(tenant, batch(wide, T0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("bad-name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Matcher.regex("job", "(unclosed")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.labelNames(tenant, List.of(), Long.MIN_VALUE, Long.MAX_VALUE))
                .isEmpty();
    }

    @Test
    void manySeriesAndSamplesRoundTrip() {
        MetricsStore store = store();
        TenantId tenant = newTenant();
        List<SeriesSamples> series = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            series.add(new SeriesSamples(
                    Labels.of("__name__", "load", "instance", "host-" + i), ramp(T0, 15_000, 300, i)));
        }
        store.append(tenant, MetricsBatch.of(series));

        var selected = store.select(tenant, List.of(Matcher.metricName("load")), T0, T0 + 300 * 15_000);

        assertThat(selected).hasSize(200);
        assertThat(selected).isSortedAccordingTo((a, b) -> a.labels().compareTo(b.labels()));
        for (var s : selected) {
            int i = Integer.parseInt(s.labels().get("instance").substring(5));
            assertThat(samplesOf(s)).containsExactlyElementsOf(ramp(T0, 15_000, 300, i));
        }
    }

    @Test
    void columnsAppendExactlyAsTheirBatch() {
        MetricsStore store = store(new MetricsLimits(1000, Duration.ofMinutes(10)));
        TenantId viaColumns = newTenant();
        TenantId viaBatch = newTenant();
        Labels a = Labels.of("__name__", "c", "s", "a");
        Labels b = Labels.of("__name__", "c", "s", "b");
        Labels fresh = Labels.of("__name__", "c", "s", "fresh");
        MetricsBatch first = MetricsBatch.of(List.of(new SeriesSamples(a, ramp(T0 + 3_600_000, 1000, 3, 1))));
        List<Sample> shuffled = new ArrayList<>(ramp(T0 + 3_100_000, 15_000, 40, 2));
        java.util.Collections.shuffle(shuffled, new java.util.Random(11));
        MetricsBatch second = new MetricsBatch(
                List.of(
                        // out of order, a duplicate with another value, a retry, one too old
                        new SeriesSamples(
                                a,
                                List.of(
                                        new Sample(T0 + 3_600_000 + 1000, 9),
                                        new Sample(T0 + 3_600_000 - 1000, 5),
                                        new Sample(T0 + 3_600_000 + 2000, 2),
                                        new Sample(T0, 7),
                                        new Sample(T0 + 3_600_000 + 5000, 6))),
                        new SeriesSamples(b, shuffled),
                        new SeriesSamples(fresh, List.of()),
                        // the same series twice in one write
                        new SeriesSamples(b, List.of(new Sample(T0 + 4_000_000, 1), new Sample(T0 + 4_000_000, 3)))),
                List.of(new MetricMetadata("c", MetricType.GAUGE, "columns", "")));

        AppendResult columns1 = store.appendColumns(viaColumns, MetricsColumns.of(first));
        AppendResult columns2 = store.appendColumns(viaColumns, MetricsColumns.of(second));
        AppendResult batch1 = store.append(viaBatch, first);
        AppendResult batch2 = store.append(viaBatch, second);

        assertThat(columns1).isEqualTo(batch1);
        assertThat(columns2).isEqualTo(batch2);
        assertThat(columns2.tooOld()).isEqualTo(1);
        assertThat(columns2.duplicates()).isEqualTo(2);
        List<Matcher> all = List.of(Matcher.metricName("c"));
        var fromColumns = store.select(viaColumns, all, T0, T0 + 5_000_000);
        var fromBatch = store.select(viaBatch, all, T0, T0 + 5_000_000);
        assertThat(labelsOf(fromColumns)).containsExactly(a, b);
        assertThat(labelsOf(fromColumns)).isEqualTo(labelsOf(fromBatch));
        for (int i = 0; i < fromColumns.size(); i++) {
            assertThat(samplesOf(fromColumns.get(i))).isEqualTo(samplesOf(fromBatch.get(i)));
        }
        assertThat(samplesOf(fromColumns.get(1)))
                .hasSize(41)
                .isSortedAccordingTo(java.util.Comparator.comparingLong(Sample::timestampMs));
        assertThat(store.metadata(viaColumns)).isEqualTo(store.metadata(viaBatch));
    }

    @Test
    void columnsKeepTheSeriesLimitAndRefuseHostileSeries() {
        MetricsStore store = store(new MetricsLimits(2, Duration.ofMinutes(10)));
        TenantId tenant = newTenant();
        List<SeriesSamples> three = List.of(
                new SeriesSamples(Labels.of("__name__", "s", "i", "1"), List.of(new Sample(T0, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "2"), List.of(new Sample(T0, 1))),
                new SeriesSamples(Labels.of("__name__", "s", "i", "3"), List.of(new Sample(T0, 1))));

        assertThatThrownBy(() -> store.appendColumns(tenant, MetricsColumns.of(MetricsBatch.of(three))))
                .isInstanceOf(SeriesLimitExceededException.class)
                .hasMessageContaining("limit is 2");
        assertThatThrownBy(() -> store.appendColumns(
                        tenant,
                        MetricsColumns.of(MetricsBatch.of(List.of(
                                three.getFirst(),
                                new SeriesSamples(Labels.of("__name__", "1bad"), List.of(new Sample(T0, 1))))))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.labelNames(tenant, List.of(), Long.MIN_VALUE, Long.MAX_VALUE))
                .isEmpty();
        assertThat(store.appendColumns(tenant, MetricsColumns.of(MetricsBatch.of(three.subList(0, 2))))
                        .accepted())
                .isEqualTo(2);
    }

    @Test
    void columnsWithOffsetsThatDoNotFitAreRefused() {
        List<Labels> one = List.of(Labels.of("__name__", "m"));
        assertThatThrownBy(() -> new MetricsColumns(one, new int[] {0, 3}, new long[2], new double[2], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsColumns(one, new int[] {0}, new long[2], new double[2], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsColumns(
                        List.of(Labels.of("__name__", "m"), Labels.of("__name__", "n")),
                        new int[] {0, 2, 1},
                        new long[2],
                        new double[2],
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
