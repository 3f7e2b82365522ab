package dev.nightjar.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@value #FREE_ATTEMPTS} failures for a username or a client
 * address, further attempts are refused for a lockout that doubles with each failure (up to 15 min).
 * Kept in memory: a restart forgets it, which is acceptable for a throttle.
 */
final class LoginThrottle {
    static final int FREE_ATTEMPTS = 5;
    private static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);
    private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_TRACKED = 100_000;

    private record Failures(int count, Instant lockedUntil, Instant last) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** True when an attempt for this user from this address may be checked at all. */
    boolean allowed(String username, String address) {
        Instant now = clock.instant();
        return !locked(userKey(username), now) && !locked(addressKey(address), now);
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED) {
            failures.values().removeIf(f -> f.last().isBefore(now.minus(FORGET_AFTER)));
        }
        failures.merge(userKey(username), next(now, 1), (old, n) -> next(now, old.count() + 1));
        failures.merge(addressKey(address), next(now, 1), (old, n) -> next(now, old.count() + 1));
    }

    void succeeded(String username, String address) {
        failures.remove(userKey(username));
        failures.remove(addressKey(address));
    }

    private boolean locked(String key, Instant now) {
        Failures f = failures.get(key);
        return f != null && f.lockedUntil().isAfter(now);
    }

    private static Failures next(Instant now, int count) {
        if (count < FREE_ATTEMPTS) {
            return new Failures(count, Instant.MIN, now);
        }
        long factor = 1L << Math.min(count - FREE_ATTEMPTS, 10);
        Duration lockout = FIRST_LOCKOUT.multipliedBy(factor);
        if (lockout.compareTo(MAX_LOCKOUT) > 0) {
            lockout = MAX_LOCKOUT;
        }
        return new Failures(count, now.plus(lockout), now);
    }

    private static String userKey(String username) {
        return "u:" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "a:" + (address == null ? "" : address);
    }
}
