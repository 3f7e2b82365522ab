package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void locksAUserOutAfterRepeatedFailuresAndReleasesLater() {
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            assertThat(throttle.allowed("admin", "10.0.0." + i)).isTrue();
            throttle.failed("admin", "10.0.0." + i);
        }
        assertThat(throttle.allowed("admin", "10.9.9.9")).isFalse();
        assertThat(throttle.allowed("ADMIN", "10.9.9.9"))
                .as("usernames are case-insensitive")
                .isFalse();
        assertThat(throttle.allowed("alice", "10.9.9.9")).isTrue();
        clock.advance(Duration.ofSeconds(31));
        assertThat(throttle.allowed("admin", "10.9.9.9")).isTrue();
    }

    @Test
    void locksAnAddressThatTriesManyUsers() {
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            throttle.failed("user" + i, "192.0.2.1");
        }
        assertThat(throttle.allowed("someone-else", "192.0.2.1")).isFalse();
        assertThat(throttle.allowed("someone-else", "192.0.2.2")).isTrue();
    }

    @Test
    void lockoutGrowsWithFurtherFailuresAndSuccessResets() {
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS + 3; i++) {
            throttle.failed("admin", "a");
        }
        clock.advance(Duration.ofSeconds(31));
        assertThat(throttle.allowed("admin", "b"))
                .as("lockout doubled past 30 s")
                .isFalse();
        clock.advance(Duration.ofMinutes(16));
        assertThat(throttle.allowed("admin", "b")).isTrue();
        throttle.succeeded("admin", "a");
        throttle.failed("admin", "a");
        assertThat(throttle.allowed("admin", "a")).isTrue();
    }
}
