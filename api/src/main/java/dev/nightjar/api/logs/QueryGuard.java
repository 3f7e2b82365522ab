package dev.nightjar.api.logs;

import dev.nightjar.api.errors.ApiError;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.QueryDeadline;
import dev.nightjar.core.telemetry.QueryTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds every telemetry query: its time range (the query models cap it), concurrency, and wall time
 * ({@code nightjar.query.timeout}); records query latency per endpoint. Parses the time parameters the
 * REST APIs share.
 */
@ApplicationScoped
public class QueryGuard {
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final Duration timeout;
    private final MeterRegistry meters;
    private final Semaphore slots;
    private final ExecutorService pool = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("telemetry-query-", 0).daemon(true).factory());

    QueryGuard(
            @ConfigProperty(name = "nightjar.query.timeout", defaultValue = "30s") Duration timeout,
            @ConfigProperty(name = "nightjar.query.max-concurrent", defaultValue = "8") int maxConcurrent,
            MeterRegistry meters) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("nightjar.query.timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.meters = meters;
        this.slots = new Semaphore(maxConcurrent);
    }

    /**
     * Runs a query with the time limit; 503 with a clear message when it is exceeded or too many run. The
     * limit is a {@link QueryDeadline} the store checks inside its scans, so a query past it stops working
     * (and frees its slot) instead of running on in the background after the caller got its answer.
     */
    public <T> T run(String endpoint, Supplier<T> query) {
        if (!slots.tryAcquire()) {
            throw unavailable(1, "too many queries are running; retry shortly");
        }
        Timer.Sample sample = Timer.start(meters);
        try {
            Future<T> future;
            try {
                future = pool.submit(() -> {
                    try {
                        return QueryDeadline.run(timeout, query);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
            try {
                // The store stops at the deadline by itself; the grace covers a store that checks rarely.
                return future.get(timeout.toMillis() + GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw timedOut();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof QueryTimeoutException) {
                    throw timedOut();
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } finally {
            sample.stop(meters.timer("nightjar.query.latency", "endpoint", endpoint));
        }
    }

    private ServiceUnavailableException timedOut() {
        meters.counter("nightjar.query.timeouts").increment();
        return new ServiceUnavailableException(Response.status(503)
                .header("Retry-After", 5)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(
                        503,
                        "query_timeout",
                        "the query ran longer than the limit of " + describe(timeout)
                                + " (nightjar.query.timeout) and was stopped; narrow the time range or add filters"))
                .build());
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ServiceUnavailableException unavailable(long retryAfterSeconds, String message) {
        return new ServiceUnavailableException(Response.status(503)
                .header("Retry-After", retryAfterSeconds)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(503, "unavailable", message))
                .build());
    }

    /** {@code start}/{@code end} as ISO-8601 instants or epoch milliseconds; defaults: the last hour. */
    public static TimeRange range(String start, String end) {
        Instant e = end == null || end.isBlank() ? Instant.now() : instant("end", end);
        Instant s = start == null || start.isBlank() ? e.minus(DEFAULT_RANGE) : instant("start", start);
        return new TimeRange(s, e);
    }

    static Instant instant(String name, String text) {
        String v = text.strip();
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            return Instant.parse(v);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 instant or epoch milliseconds, got '" + abbreviate(v) + "'");
        }
    }

    public static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
