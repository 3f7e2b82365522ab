package dev.nightjar.api.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.api.errors.ApiError;
import dev.nightjar.core.telemetry.QueryDeadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The guard hands its time limit to the store as a {@link QueryDeadline}: a query that would scan forever
 * stops with a clear 503, its worker ends, and its slot is free again for the next query.
 */
class QueryGuardTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** What a store does while scanning: visit documents and check the deadline as it goes. */
    private static long endlessScan(AtomicLong visited) {
        while (true) {
            visited.incrementAndGet();
            QueryDeadline.check();
        }
    }

    @Test
    void aQueryPastItsLimitStopsWithAClearError() {
        QueryGuard guard = new QueryGuard(Duration.ofMillis(200), 1, meters);
        AtomicLong visited = new AtomicLong();

        assertThatThrownBy(() -> guard.run("test", () -> endlessScan(visited)))
                .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
                    assertThat(e.getResponse().getStatus()).isEqualTo(503);
                    ApiError body = (ApiError) e.getResponse().getEntity();
                    assertThat(body.error()).isEqualTo("query_timeout");
                    assertThat(body.message())
                            .contains("200 ms")
                            .contains("nightjar.query.timeout")
                            .contains("narrow the time range");
                });
        assertThat(visited.get()).isPositive();
        assertThat(meters.counter("nightjar.query.timeouts").count()).isEqualTo(1.0);
        // The scan stopped by itself, so its only slot is free: the next query runs at once.
        assertThat(guard.run("test", () -> "answer")).isEqualTo("answer");
    }

    @Test
    void theStoreSeesTheDeadlineOfTheQueryItRuns() {
        QueryGuard guard = new QueryGuard(Duration.ofSeconds(30), 2, meters);
        QueryDeadline seen = guard.run("test", QueryDeadline::current);
        assertThat(seen).isNotNull();
        assertThat(seen.limit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(QueryDeadline.current()).isNull();
    }

    @Test
    void aStoreThatIgnoresTheDeadlineIsStillCutOffAndInterrupted() throws Exception {
        QueryGuard guard = new QueryGuard(Duration.ofMillis(100), 2, meters);
        CountDownLatch interrupted = new CountDownLatch(1);
        assertThatThrownBy(() -> guard.run("test", () -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                    return null;
                }))
                .isInstanceOf(ServiceUnavailableException.class);
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void errorsOfTheQueryItselfPassThrough() {
        QueryGuard guard = new QueryGuard(Duration.ofSeconds(30), 2, meters);
        assertThatThrownBy(() -> guard.run("test", () -> {
                    throw new IllegalArgumentException("bad filter");
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad filter");
    }

    @Test
    void aNonPositiveTimeoutIsRefusedAtStart() {
        assertThatThrownBy(() -> new QueryGuard(Duration.ZERO, 2, meters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nightjar.query.timeout");
    }
}
