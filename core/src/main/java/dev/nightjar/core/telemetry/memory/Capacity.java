package dev.nightjar.core.telemetry.memory;

import dev.nightjar.core.telemetry.StorageOverCapacityException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Counts stored items against a bound; a batch that would pass it is refused whole. */
final class Capacity {

    private final long max;
    private final AtomicLong used = new AtomicLong();

    Capacity(long max) {
        this.max = max;
    }

    void reserve(int n) {
        long now = used.addAndGet(n);
        if (now > max) {
            used.addAndGet(-n);
            throw new StorageOverCapacityException(
                    "in-memory store holds its limit of " + max + " items", Duration.ofSeconds(5));
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }
}
