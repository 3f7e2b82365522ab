package dev.nightjar.api.servicemap;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes series shaped exactly as the OTLP translation stores the sensor's metrics (names and labels),
 * as counters sampled every 15 s from {@code start}: value(i) = perScrape × i.
 */
final class SensorSeries {
    static final long STEP = 15_000;
    final InMemoryMetricsStore store = new InMemoryMetricsStore();
    final long start;
    final int scrapes;

    SensorSeries(long start, int scrapes) {
        this.start = start;
        this.scrapes = scrapes;
    }

    long end() {
        return start + (scrapes - 1) * STEP;
    }

    static Map<String, String> process(String pid, String exe, String container) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("job", "nightjar-sensor");
        l.put("process_pid", pid);
        l.put("process_executable_name", exe);
        l.put("process_executable_path", "/usr/bin/" + exe);
        if (!container.isEmpty()) {
            l.put("container_id", container);
        }
        return l;
    }

    static Map<String, String> client(Map<String, String> proc, String address, String name, int port) {
        Map<String, String> l = new LinkedHashMap<>(proc);
        l.put("network_peer_address", address);
        if (!name.isEmpty()) {
            l.put("network_peer_name", name);
        }
        l.put("server_port", String.valueOf(port));
        l.put("nightjar_role", "client");
        return l;
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> l = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            l.put(kv[i], kv[i + 1]);
        }
        return l;
    }

    /** A counter growing by {@code perScrape} each scrape. */
    void counter(TenantId tenant, String name, Map<String, String> labels, double perScrape) {
        counter(tenant, name, labels, i -> perScrape * i);
    }

    interface Values {
        double at(int scrape);
    }

    void counter(TenantId tenant, String name, Map<String, String> labels, Values values) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < scrapes; i++) {
            samples.add(new Sample(start + i * STEP, values.at(i)));
        }
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(Labels.METRIC_NAME, name);
        store.append(tenant, MetricsBatch.of(List.of(new SeriesSamples(Labels.from(l), samples))));
    }

    void gauge(TenantId tenant, String name, Map<String, String> labels, double value) {
        counter(tenant, name, labels, i -> value);
    }

    void listening(TenantId tenant, Map<String, String> proc, String address, int port) {
        gauge(
                tenant,
                "nightjar_tcp_listening",
                with(proc, "server_address", address, "server_port", String.valueOf(port)),
                1);
    }
}
