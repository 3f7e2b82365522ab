package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorConfigTest {

    @Test
    void environmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sensor.properties");
        Files.writeString(file, "endpoint=http://127.0.0.1:1\nfeatures=network\ninterval.ms=1000\n");
        SensorConfig config = SensorConfig.load(
                file,
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                        "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc,X-Tenant=t1"));
        assertThat(config.endpoint()).isEqualTo("http://127.0.0.1:4318");
        assertThat(config.headers())
                .containsEntry("Authorization", "Bearer abc")
                .containsEntry("X-Tenant", "t1");
        assertThat(config.features()).containsExactly(Feature.NETWORK);
        assertThat(config.intervalMillis()).isEqualTo(1000);
        assertThat(config.describe()).doesNotContain("abc");
    }

    @Test
    void hostileValuesAreRefusedWithAReason(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "file:///etc/passwd")))
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=b\r\nInjected: x")))
                .hasMessageContaining("invalid header");
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
                .hasMessageContaining("name=value");
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=" + "x".repeat(9000))))
                .hasMessageContaining("8 KiB");
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("NIGHTJAR_SENSOR_INTERVAL_MS", "-5")))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("NIGHTJAR_SENSOR_INTERVAL_MS", "9".repeat(40))))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> SensorConfig.load(null, Map.of("NIGHTJAR_SENSOR_FEATURES", "network,kprobes")))
                .hasMessageContaining("unknown feature 'kprobes'");
        Path huge = dir.resolve("huge.properties");
        Files.writeString(huge, "x=" + "y".repeat(70_000));
        assertThatThrownBy(() -> SensorConfig.load(huge, Map.of())).hasMessageContaining("64 KiB");
    }

    @Test
    void containerIdsComeFromRuntimeCgroupNames() {
        String id = "0123456789abcdef".repeat(4);
        assertThat(ContainerIds.fromCgroup("cri-containerd-" + id + ".scope")).contains(id);
        assertThat(ContainerIds.fromCgroup("/system.slice/docker-" + id + ".scope"))
                .contains(id);
        assertThat(ContainerIds.fromCgroup("crio-" + id + ".scope")).contains(id);
        assertThat(ContainerIds.fromCgroup("/kubepods/burstable/pod1/" + id)).contains(id);
        assertThat(ContainerIds.fromCgroup("user@0.service")).isEmpty();
        assertThat(ContainerIds.fromCgroup("docker-" + id.substring(1) + "Z.scope"))
                .isEmpty();
        assertThat(ContainerIds.fromCgroup("a/".repeat(5000))).isEmpty();
    }
}
