package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.StorageOverCapacityException;
import dev.nightjar.core.telemetry.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is specific to the Lucene store: directory layout, whole-directory retention, the disk reserve. */
class LuceneStorageTest {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-000000000001");
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dir;

    private static LogRecord at(Instant t, String body) {
        return LogRecord.builder()
                .timeUnixNano(Timestamps.toNanos(t))
                .body(body)
                .resource(Resource.of("service.name", "svc"))
                .build();
    }

    private List<String> partitionDirs(String signal) throws Exception {
        Path p = dir.resolve("tenants").resolve(TENANT.toString()).resolve(signal);
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void onePartitionDirectoryPerTenantSignalAndDay() throws Exception {
        try (LuceneStorage storage = new LuceneStorage(dir)) {
            storage.logWriter().write(TENANT, List.of(at(T0, "today"), at(T0.minus(Duration.ofDays(1)), "yesterday")));
            storage.commit();
            assertThat(partitionDirs("logs")).containsExactly("20261121T0000Z", "20261122T0000Z");
        }
    }

    @Test
    void hourlyPartitionsAreConfigurable() throws Exception {
        try (LuceneStorage storage =
                new LuceneStorage(LuceneStorageConfig.defaults(dir).withPartitionSize(Duration.ofHours(1)))) {
            storage.logWriter().write(TENANT, List.of(at(T0, "a"), at(T0.minusSeconds(3600), "b")));
            storage.commit();
            assertThat(partitionDirs("logs")).containsExactly("20261122T1100Z", "20261122T1200Z");
        }
        assertThatThrownBy(() -> LuceneStorageConfig.defaults(dir).withPartitionSize(Duration.ofMinutes(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retentionDeletesWholeDirectories() throws Exception {
        try (LuceneStorage storage = new LuceneStorage(dir)) {
            storage.logWriter().write(TENANT, List.of(at(T0, "new"), at(T0.minus(Duration.ofDays(9)), "old")));
            storage.commit();
            assertThat(storage.applyRetention(TENANT, Duration.ofDays(7), T0).unitsDeleted())
                    .isEqualTo(1);
            assertThat(partitionDirs("logs")).containsExactly("20261122T0000Z");
        }
    }

    @Test
    void idlePartitionsCloseAndReopenTransparently() throws Exception {
        LuceneStorageConfig config = LuceneStorageConfig.defaults(dir).withPartitionIdleTimeout(Duration.ofSeconds(1));
        try (LuceneStorage storage = new LuceneStorage(config)) {
            storage.logWriter().write(TENANT, List.of(at(T0, "kept"), at(T0.minus(Duration.ofDays(2)), "older")));
            storage.flush();
            assertThat(storage.openPartitionCount()).isEqualTo(2);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (storage.openPartitionCount() > 0) {
                assertThat(System.nanoTime()).as("idle partitions close").isLessThan(deadline);
                Thread.sleep(100);
            }
            LogFilter all = LogFilter.of(new TimeRange(T0.minus(Duration.ofDays(3)), T0.plusSeconds(60)));
            assertThat(storage.logReader().search(TENANT, LogQuery.of(all, 10)).records())
                    .extracting(LogRecord::bodyText)
                    .containsExactly("kept", "older");
            storage.logWriter().write(TENANT, List.of(at(T0.plusSeconds(1), "after reopen")));
            storage.flush();
            assertThat(storage.logReader().search(TENANT, LogQuery.of(all, 10)).records())
                    .hasSize(3);
        }
    }

    @Test
    void aFullDiskRefusesWritesRetryably() {
        try (LuceneStorage storage =
                new LuceneStorage(LuceneStorageConfig.defaults(dir).withMinFreeDiskBytes(Long.MAX_VALUE))) {
            assertThatThrownBy(() -> storage.logWriter().write(TENANT, List.of(at(T0, "x"))))
                    .isInstanceOf(StorageOverCapacityException.class);
            assertThat(storage.check().ok()).isFalse();
            storage.flush();
            LogFilter all = LogFilter.of(new TimeRange(T0.minusSeconds(60), T0.plusSeconds(60)));
            assertThat(storage.logReader().search(TENANT, LogQuery.of(all, 10)).records())
                    .isEmpty();
        }
    }

    @Test
    void writesBecomeVisibleWithoutFlushWithinTheRefreshInterval() throws Exception {
        try (LuceneStorage storage =
                new LuceneStorage(LuceneStorageConfig.defaults(dir).withRefreshInterval(Duration.ofMillis(50)))) {
            storage.logWriter().write(TENANT, List.of(at(T0, "soon")));
            LogFilter all = LogFilter.of(new TimeRange(T0.minusSeconds(60), T0.plusSeconds(60)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (storage.logReader()
                    .search(TENANT, LogQuery.of(all, 10))
                    .records()
                    .isEmpty()) {
                assertThat(System.nanoTime()).as("visible within 30 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }
}
