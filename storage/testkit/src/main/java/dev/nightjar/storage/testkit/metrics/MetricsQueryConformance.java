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
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading back: sample order and ranges, matchers, label names and values, metadata, special values, tenancy. */
public abstract class MetricsQueryConformance extends MetricsConformance {

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
}
