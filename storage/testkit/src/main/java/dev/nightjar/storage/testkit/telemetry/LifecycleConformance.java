package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Health check, flush/commit, concurrent writers, close. */
public abstract class LifecycleConformance extends StorageConformance {

    @Test
    void healthyWhenOpen() {
        CheckResult check = storage.check();
        assertThat(check.ok()).as(check.detail()).isTrue();
    }

    @Test
    void closedStoreReportsUnhealthyAndRefusesWork() {
        storage.close();
        assertThat(storage.check().ok()).isFalse();
        assertThatThrownBy(() -> storage.logWriter()
                        .write(TENANT_A, List.of(log(T0, "late").build())))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> search(TENANT_A, LogFilter.of(lastHour()))).isInstanceOf(IllegalStateException.class);
        storage.close(); // idempotent
        storage = null;
    }

    @Test
    void commitAndFlushMakeWritesVisible() {
        storage.logWriter()
                .write(TENANT_A, List.of(log(T0.minusSeconds(1), "one").build()));
        storage.commit();
        storage.flush();
        assertThat(bodies(search(TENANT_A, LogFilter.of(lastHour())))).containsExactly("one");
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        int threads = 4;
        int batches = 25;
        int perBatch = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        List<LogRecord> batch = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            batch.add(log(T0.minusMillis((b * perBatch + i) * 10L), "t" + thread + " b" + b + " i" + i)
                                    .build());
                        }
                        storage.logWriter().write(TENANT_A, batch);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        storage.flush();
        long total = storage.logReader()
                .histogram(TENANT_A, new LogHistogramQuery(LogFilter.of(lastHour()), Duration.ofMinutes(1)))
                .total();
        assertThat(total).isEqualTo((long) threads * batches * perBatch);
        assertThat(searchAllPages(TENANT_A, LogFilter.of(lastHour()), 1000)).hasSize(threads * batches * perBatch);
    }
}
