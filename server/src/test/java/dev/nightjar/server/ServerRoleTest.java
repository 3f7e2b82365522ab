package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerRoleTest {

    @Test
    void parsesRoleLists() {
        assertThat(ServerRole.parse("all")).isEqualTo(EnumSet.allOf(ServerRole.class));
        assertThat(ServerRole.parse("")).isEqualTo(EnumSet.allOf(ServerRole.class));
        assertThat(ServerRole.parse(" ingest , QUERY")).containsExactlyInAnyOrder(ServerRole.INGEST, ServerRole.QUERY);
        assertThatThrownBy(() -> ServerRole.parse("ingest,evil;rm -rf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown role");
    }

    @Test
    void mapsPathsToRoles() {
        assertThat(ServerRole.forPath("/v1/logs")).isEqualTo(ServerRole.INGEST);
        assertThat(ServerRole.forPath("/api/v1/write")).isEqualTo(ServerRole.INGEST);
        assertThat(ServerRole.forPath("/api/v1/api-keys")).isEqualTo(ServerRole.QUERY);
        assertThat(ServerRole.forPath("/jaeger/api/services")).isEqualTo(ServerRole.QUERY);
        assertThat(ServerRole.forPath("/login")).isEqualTo(ServerRole.UI);
        assertThat(ServerRole.forPath("/q/health/ready")).isNull();
    }

    @Test
    void startupSettingsPreferPropertiesThenEnvironment() {
        Properties props = new Properties();
        StartupSettings defaults = StartupSettings.fromEnvironment(Map.of(), props);
        assertThat(defaults.dataDir())
                .isEqualTo(Path.of("./data").toAbsolutePath().normalize());
        assertThat(defaults.externalDatabase()).isFalse();

        StartupSettings fromEnv = StartupSettings.fromEnvironment(
                Map.of("NIGHTJAR_DATA_DIR", "/srv/nj", "NIGHTJAR_DB_URL", "jdbc:postgresql://db/nj"), props);
        assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/srv/nj"));
        assertThat(fromEnv.externalDatabase()).isTrue();

        props.setProperty("nightjar.data-dir", "/opt/nj");
        assertThat(StartupSettings.fromEnvironment(Map.of("NIGHTJAR_DATA_DIR", "/srv/nj"), props)
                        .dataDir())
                .isEqualTo(Path.of("/opt/nj"));
    }
}
