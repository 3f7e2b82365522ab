package dev.nightjar.webapp.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.InMemoryMetricsStore;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.promql.PromqlEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class InventoryTest {
    static final TenantId A = TenantId.of(UUID.fromString("00000000-0000-0000-0000-0000000000a1"));
    static final TenantId B = TenantId.of(UUID.fromString("00000000-0000-0000-0000-0000000000b1"));
    static final long T0 = 1_700_000_000_000L;
    static final int SCRAPES = 21;
    final InMemoryMetricsStore store = new InMemoryMetricsStore();

    void series(TenantId tenant, IntToDoubleFunction value, String... labels) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < SCRAPES; i++) {
            samples.add(new Sample(T0 + i * 15_000L, value.applyAsDouble(i)));
        }
        store.append(tenant, MetricsBatch.of(List.of(new SeriesSamples(Labels.of(labels), samples))));
    }

    List<Inventory.Row> load(TenantId tenant) {
        return Inventory.load(new PromqlEngine(), store, tenant, T0, T0 + (SCRAPES - 1) * 15_000L);
    }

    @Test
    void hostsContainersAndProcessesWithPortsTrafficAndCrashLoops() {
        series(
                A,
                i -> 1,
                "__name__",
                "nightjar_tcp_listening",
                "process_executable_name",
                "nginx",
                "process_executable_path",
                "/usr/sbin/nginx",
                "process_pid",
                "10",
                "server_address",
                "0.0.0.0",
                "server_port",
                "80");
        series(
                A,
                i -> 1000.0 * i,
                "__name__",
                "nightjar_tcp_bytes_total",
                "process_executable_name",
                "nginx",
                "process_executable_path",
                "/usr/sbin/nginx",
                "process_pid",
                "10",
                "direction",
                "sent",
                "nightjar_role",
                "server",
                "server_port",
                "80",
                "network_peer_address",
                "10.0.0.1");
        series(
                A,
                i -> 2.0 * i,
                "__name__",
                "nightjar_tcp_accepts_total",
                "process_executable_name",
                "nginx",
                "process_executable_path",
                "/usr/sbin/nginx",
                "process_pid",
                "10",
                "nightjar_role",
                "server",
                "server_port",
                "80",
                "network_peer_address",
                "10.0.0.1");
        // A container that keeps crashing: a restart and a failed exit every scrape.
        for (String counter : List.of("starts", "exits", "failed_exits", "restarts")) {
            series(
                    A,
                    i -> i,
                    "__name__",
                    "nightjar_process_" + counter + "_total",
                    "process_executable_path",
                    "/app/<img src=x onerror=alert(1)>",
                    "container_id",
                    "abcdef0123456789");
        }
        series(A, i -> 64 * 1048576.0, "__name__", "nightjar_sensor_memory_rss_bytes", "job", "nightjar-sensor");
        series(A, i -> 1, "__name__", "target_info", "job", "nightjar-sensor", "host_name", "node-1");
        series(
                B,
                i -> 1,
                "__name__",
                "nightjar_tcp_listening",
                "process_executable_name",
                "tenant-b-secret",
                "process_executable_path",
                "/b",
                "process_pid",
                "1",
                "server_address",
                "0.0.0.0",
                "server_port",
                "1");

        List<Inventory.Row> hosts = load(A);
        assertThat(hosts).hasSize(1);
        Inventory.Row host = hosts.get(0);
        assertThat(host.name()).isEqualTo("node-1");
        assertThat(host.memory()).isEqualTo("sensor RSS 64 MiB");
        assertThat(host.cpu()).isEqualTo("not reported");
        Inventory.Row nginx = host.children().stream()
                .filter(r -> r.name().startsWith("nginx"))
                .findFirst()
                .orElseThrow();
        assertThat(nginx.ports()).isEqualTo("80");
        assertThat(nginx.bytesSent()).isBetween(19_000.0, 21_000.0);
        assertThat(nginx.connections()).isBetween(38.0, 42.0);
        assertThat(nginx.lifecycle().crashLoop()).isFalse();
        Inventory.Row container = host.children().stream()
                .filter(r -> r.kind().equals("container"))
                .findFirst()
                .orElseThrow();
        assertThat(container.name()).isEqualTo("container abcdef012345");
        Inventory.Row crashing = container.children().get(0);
        assertThat(crashing.name()).isEqualTo("<img src=x onerror=alert(1)> (/app/<img src=x onerror=alert(1)>)");
        assertThat(crashing.lifecycle().restarts()).isBetween(19.0, 21.0);
        assertThat(crashing.lifecycle().crashLoop()).isTrue();
        assertThat(container.lifecycle().crashLoop()).isTrue();
        assertThat(crashing.lifecycle().text()).contains("restarts");

        assertThat(load(B).get(0).children()).extracting(Inventory.Row::name).containsExactly("tenant-b-secret (/b)");
    }

    @Test
    void emptyStoreHasNoHosts() {
        assertThat(load(A)).isEmpty();
    }
}
