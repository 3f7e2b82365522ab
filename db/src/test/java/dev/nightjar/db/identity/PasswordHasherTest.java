package dev.nightjar.db.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashesWithArgon2idAndVerifies() {
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(hasher.hash("the same password")).isNotEqualTo(hasher.hash("the same password"));
    }

    @Test
    void rejectsTamperedOrForeignEncodings() {
        String hash = hasher.hash("a long enough password");
        assertThat(hasher.verify("a long enough password", hash.replace("argon2id", "argon2i")))
                .isFalse();
        assertThat(hasher.verify("a long enough password", "$2a$10$bcryptbcryptbcryptbcrypt"))
                .isFalse();
        assertThat(hasher.verify("a long enough password", "")).isFalse();
        assertThat(hasher.verify("a long enough password", null)).isFalse();
        assertThat(hasher.verify(null, hash)).isFalse();
    }

    @Test
    void boundsPasswordLength() {
        assertThatThrownBy(() -> hasher.hash("short")).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> hasher.hash("x".repeat(10_000))).hasMessageContaining("at most");
        assertThat(hasher.verify("x".repeat(10_000), hasher.hash("a long enough password")))
                .isFalse();
    }
}
