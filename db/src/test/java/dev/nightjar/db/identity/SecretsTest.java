package dev.nightjar.db.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void generatedKeysAreUniqueAndPlausible() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = Secrets.newApiKey();
            assertThat(key).startsWith("nj_").hasSize(43);
            assertThat(Secrets.plausibleApiKey(key)).isTrue();
            assertThat(seen.add(key)).isTrue();
        }
    }

    @Test
    void refusesHostileKeyShapes() {
        assertThat(Secrets.plausibleApiKey(null)).isFalse();
        assertThat(Secrets.plausibleApiKey("short")).isFalse();
        assertThat(Secrets.plausibleApiKey("x".repeat(201))).isFalse();
        assertThat(Secrets.plausibleApiKey("' OR '1'='1' -- padding padding")).isFalse();
        assertThat(Secrets.plausibleApiKey("nj_abcdefghijklmnopqrstuvwxyz\n")).isFalse();
        assertThat(Secrets.plausibleApiKey("nj_abcdefghijklmnopqrstuvwxyzé")).isFalse();
    }

    @Test
    void digestIsStableSha256() {
        assertThat(Secrets.sha256("abc")).hasSize(32).isEqualTo(Secrets.sha256("abc"));
        assertThat(Secrets.displayPrefix("nj_0123456789abcdef")).isEqualTo("nj_0123456");
    }

    @Test
    void keyNamesAreValidated() {
        assertThat(ApiKeys.validateName("  collector  ")).isEqualTo("collector");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeys.validateName("bad\u0000name"))
                .hasMessageContaining("control characters");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeys.validateName("n".repeat(101)))
                .hasMessageContaining("at most 100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeys.validateName(" "))
                .hasMessageContaining("needs a name");
    }
}
