package dev.nightjar.api.servicemap;

import static dev.nightjar.api.servicemap.SensorSeries.client;
import static dev.nightjar.api.servicemap.SensorSeries.process;
import static dev.nightjar.api.servicemap.SensorSeries.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.QueryResult;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DependencyHealthSeriesTest {
    static final TenantId A = TenantId.of(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    final PromqlEngine engine = new PromqlEngine();
    final SensorSeries data = new SensorSeries(1_700_000_000_000L, 41);

    @Test
    void everyKnownScoreOfEveryEdgeBecomesOneGaugeSeries() {
        var app = process("1", "app", "");
        var toApi = client(app, "140.82.112.3", "api.github.com", 443);
        data.counter(A, "nightjar_tcp_connects_total", with(toApi, "outcome", "established"), 1);
        data.counter(A, "nightjar_tcp_connects_total", with(toApi, "outcome", "timeout"), 1);
        ServiceMap map = ServiceMaps.build(engine, data.store, A, data.start, data.end());

        MetricsBatch batch = DependencyHealthSeries.of(map, data.end());

        Map<String, Double> byScore = batch.series().stream()
                .collect(Collectors.toMap(
                        s -> s.labels().get("score"),
                        s -> s.samples().getFirst().value()));
        // No L7 requests: latency is unknown, so it is left out rather than written as a fake value.
        assertThat(byScore)
                .containsOnlyKeys("reliability", "stability", "packet_health", "responsiveness", "composite");
        assertThat(byScore.get("reliability")).isCloseTo(0.5, within(0.01));
        assertThat(byScore.get("responsiveness")).isCloseTo(0.5, within(0.01));
        SeriesSamples one = batch.series().getFirst();
        assertThat(one.labels().metricName()).isEqualTo(DependencyHealthSeries.METRIC);
        assertThat(one.labels().get("source")).isEqualTo("app");
        assertThat(one.labels().get("destination")).isEqualTo("api.github.com:443");
        assertThat(one.labels().get("destination_placement")).isEqualTo("external");
        assertThat(one.samples().getFirst().timestampMs()).isEqualTo(data.end());
        assertThat(batch.metadata()).hasSize(1);

        // Appended to a store, the scores answer PromQL like any other gauge.
        data.store.append(A, batch);
        var result = engine.instantQuery(
                data.store,
                A,
                "min by (destination) (" + DependencyHealthSeries.METRIC + "{score=\"reliability\"})",
                data.end());
        assertThat(result).isInstanceOf(QueryResult.VectorResult.class);
        var samples = ((QueryResult.VectorResult) result).samples();
        assertThat(samples).hasSize(1);
        assertThat(samples.getFirst().value()).isCloseTo(0.5, within(0.01));
    }

    @Test
    void hostileAndOverlongNamesStayBoundedPlainLabelValues() {
        String hostile = "<img src=x onerror=alert(1)>\"}" + "x".repeat(3_000);
        var app = process("1", "app", "");
        data.counter(
                A,
                "nightjar_tcp_connects_total",
                with(client(app, "10.0.0.1", hostile, 80), "outcome", "established"),
                1);
        ServiceMap map = ServiceMaps.build(engine, data.store, A, data.start, data.end());

        MetricsBatch batch = DependencyHealthSeries.of(map, data.end());

        assertThat(batch.series()).isNotEmpty();
        for (SeriesSamples s : batch.series()) {
            String destination = s.labels().get("destination");
            assertThat(destination).startsWith("<img src=x onerror=alert(1)>\"}");
            assertThat(destination.length()).isLessThanOrEqualTo(DependencyHealthSeries.MAX_VALUE_LENGTH);
            assertThat(Labels.isValidLabelName("destination")).isTrue();
        }
        data.store.append(A, batch);
    }

    @Test
    void anEmptyMapWritesNothing() {
        ServiceMap map = ServiceMaps.build(engine, data.store, A, data.start, data.end());
        assertThat(DependencyHealthSeries.of(map, data.end()).series()).isEmpty();
    }
}
