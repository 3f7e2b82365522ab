package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log compaction: small blocks merged into large ones must answer exactly as before (records, order,
 * filters, histograms, top values, page cursors taken before the merge), keep tenants apart, leave
 * retention working, and a crash before or after the merge's commit must recover to the old or the new
 * blocks, never a mix that loses or repeats a record.
 */
class LogCompactionTest {

    private static final TenantId A = TenantId.parse("00000000-0000-4000-8000-0000000000c1");
    private static final TenantId B = TenantId.parse("00000000-0000-4000-8000-0000000000c2");
    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    private static final TimeRange ALL = new TimeRange(T0.minus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2)));
    private static final Instant EVERYTHING = T0.plus(Duration.ofDays(30));

    @TempDir
    Path dir;

    private LuceneStorage open() {
        // no background pass: the test decides when to merge
        return new LuceneStorage(
                LuceneStorageConfig.defaults(dir).withCommitInterval(null).withLogCompactionInterval(null));
    }

    private static final List<TraceId> TRACES = List.of(new TraceId(1, 2), new TraceId(3, 4), new TraceId(-5, 6));

    private static List<LogFilter> filters() {
        return List.of(
                LogFilter.of(ALL),
                LogFilter.builder(ALL).term("timeout").build(),
                LogFilter.builder(ALL).term("connection refused").build(),
                LogFilter.builder(ALL).term("id-4711").build(),
                LogFilter.builder(ALL)
                        .term(Long.toHexString(700 * 0x9E3779B97F4A7C15L | 1L << 60))
                        .build(),
                LogFilter.builder(ALL).attribute("client.address", "10.0.17.7").build(),
                LogFilter.builder(ALL).resource("service.name", "svc-1").build(),
                LogFilter.builder(ALL)
                        .severity(SeverityLevel.ERROR, SeverityLevel.FATAL)
                        .build(),
                LogFilter.builder(ALL)
                        .filter(AttributeFilter.intrinsic(
                                FieldRef.TRACE_ID, TRACES.get(2).toHex()))
                        .build(),
                LogFilter.builder(ALL)
                        .filter(AttributeFilter.intrinsic(FieldRef.SEVERITY_TEXT, "Oops"))
                        .build(),
                LogFilter.builder(ALL)
                        .range(FieldRef.attribute("http.status_code"), 350.0, 450.0)
                        .build(),
                LogFilter.builder(new TimeRange(T0.minus(Duration.ofHours(3)), T0.plus(Duration.ofHours(2))))
                        .build());
    }

    private static List<LogRecord> pages(StorageComponent s, TenantId tenant, LogFilter f, int pageSize) {
        List<LogRecord> out = new ArrayList<>();
        LogPage page = s.logReader().search(tenant, LogQuery.of(f, pageSize));
        out.addAll(page.records());
        while (page.next() != null) {
            page = s.logReader().search(tenant, new LogQuery(f, pageSize, page.next()));
            out.addAll(page.records());
        }
        return out;
    }

    /** Writes records in batches of 1..400 (many small, overlapping blocks) into the store and the reference. */
    private static void write(
            LuceneStorage store,
            InMemoryStorage reference,
            TenantId tenant,
            List<LogRecord> records,
            SplittableRandom rnd) {
        for (int i = 0; i < records.size(); ) {
            List<LogRecord> batch = records.subList(i, Math.min(records.size(), i + rnd.nextInt(1, 400)));
            store.logWriter().write(tenant, batch);
            reference.logWriter().write(tenant, batch);
            i += batch.size();
        }
    }

    private static void assertSameAnswers(StorageComponent store, InMemoryStorage reference, TenantId tenant) {
        for (LogFilter f : filters()) {
            List<LogRecord> expected = pages(reference, tenant, f, 1000);
            if (tenant.equals(A)) {
                assertThat(expected).as("filter %s selects something", f).isNotEmpty();
            }
            assertThat(pages(store, tenant, f, 97)).as("pages of %s", f).isEqualTo(expected);
            LogHistogramQuery h = new LogHistogramQuery(f, Duration.ofHours(1));
            assertThat(store.logReader().histogram(tenant, h))
                    .isEqualTo(reference.logReader().histogram(tenant, h));
            for (FieldRef field : List.of(FieldRef.resource("k8s.pod.name"), FieldRef.attribute("user"))) {
                TopValuesQuery q = new TopValuesQuery(f, field, 50);
                assertThat(store.logReader().topValues(tenant, q))
                        .as("top %s of %s", field, f)
                        .isEqualTo(reference.logReader().topValues(tenant, q));
            }
        }
    }

    /** Live block documents of the tenant's log partitions (resource documents have no time). */
    private static int blocks(LuceneStorage store, TenantId tenant) throws IOException {
        int n = 0;
        for (Partition p : store.partitions(tenant, Signal.LOGS).all()) {
            IndexSearcher s = p.acquire();
            try {
                n += s.count(new FieldExistsQuery(LogIndex.TS));
            } finally {
                p.release(s);
            }
        }
        return n;
    }

    @Test
    void mergedBlocksAnswerExactlyAsTheSmallOnesAndKeepTenantsApart() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        InMemoryStorage reference = new InMemoryStorage();
        try (LuceneStorage store = open()) {
            write(store, reference, A, LuceneLogBlocksTest.randomRecords(12_000, rnd, TRACES), rnd);
            write(store, reference, B, LuceneLogBlocksTest.randomRecords(3_000, new SplittableRandom(5), TRACES), rnd);
            store.flush();
            assertSameAnswers(store, reference, A);
            int before = blocks(store, A);
            int beforeB = blocks(store, B);
            // a cursor taken before the merge must go on exactly where it was
            LogFilter all = LogFilter.of(ALL);
            List<LogRecord> expected = pages(reference, A, all, 1000);
            LogPage first = store.logReader().search(A, LogQuery.of(all, 150));

            LogCompactionResult result = store.compactLogs(EVERYTHING);
            store.flush();

            assertThat(result.blocksMerged())
                    .isGreaterThan(result.blocksWritten())
                    .isPositive();
            assertThat(result.records()).isPositive();
            int after = blocks(store, A) + blocks(store, B);
            assertThat(after)
                    .as("%d + %d blocks before, %s", before, beforeB, result)
                    .isEqualTo(before + beforeB - result.blocksMerged() + result.blocksWritten());
            assertThat(after).isLessThan((before + beforeB) / 4);
            List<LogRecord> resumed = new ArrayList<>(first.records());
            LogPage page = first;
            while (page.next() != null) {
                page = store.logReader().search(A, new LogQuery(all, 150, page.next()));
                resumed.addAll(page.records());
            }
            assertThat(resumed).as("pages across the merge").isEqualTo(expected);
            assertSameAnswers(store, reference, A);
            assertSameAnswers(store, reference, B);

            // a second pass finds nothing more to merge, and answers stay the same after a commit
            assertThat(store.compactLogs(EVERYTHING).blocksMerged()).isZero();
            store.commit();
        }
        try (LuceneStorage reopened = open()) {
            assertSameAnswers(reopened, reference, A);
            assertSameAnswers(reopened, reference, B);
        }
    }

    @Test
    void onlyBlocksOlderThanTheCutoffAreMergedAndRetentionStillDropsPartitions() throws IOException {
        SplittableRandom rnd = new SplittableRandom(12);
        InMemoryStorage reference = new InMemoryStorage();
        try (LuceneStorage store = open()) {
            write(store, reference, A, LuceneLogBlocksTest.randomRecords(6_000, rnd, TRACES), rnd);
            store.flush();
            // records span T0-1d .. T0+1d: only the older day's blocks are merged
            LogCompactionResult older = store.compactLogs(T0);
            assertThat(older.blocksMerged()).isPositive();
            List<Partition> partitions = store.partitions(A, Signal.LOGS).all();
            assertThat(partitions).hasSize(2); // the days before and after T0
            store.flush();
            assertSameAnswers(store, reference, A);

            Instant now = T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(1));
            store.applyRetention(A, Duration.ofHours(25), now);
            reference.applyRetention(A, Duration.ofHours(25), now);
            assertThat(pages(store, A, LogFilter.of(ALL), 500))
                    .isEqualTo(pages(reference, A, LogFilter.of(ALL), 500))
                    .isNotEmpty();
            assertThat(store.compactLogs(EVERYTHING).blocksMerged()).isPositive();
            store.flush();
            assertThat(pages(store, A, LogFilter.of(ALL), 500)).isEqualTo(pages(reference, A, LogFilter.of(ALL), 500));
        }
    }

    @Test
    void aCrashBeforeTheCommitRecoversTheSmallBlocksAndAfterItTheMergedOnes() throws IOException {
        SplittableRandom rnd = new SplittableRandom(13);
        InMemoryStorage reference = new InMemoryStorage();
        LuceneStorage store = open();
        write(store, reference, A, LuceneLogBlocksTest.randomRecords(8_000, rnd, TRACES), rnd);
        store.commit();
        store.flush();
        int small = blocks(store, A);
        assertThat(store.compactLogs(EVERYTHING).blocksMerged()).isPositive();
        crash(store);

        // the merges were not committed: the last commit holds the small blocks, every record once
        store = open();
        assertThat(blocks(store, A)).isEqualTo(small);
        assertSameAnswers(store, reference, A);
        LogCompactionResult merged = store.compactLogs(EVERYTHING);
        store.commit();
        crash(store);

        try (LuceneStorage reopened = open()) {
            assertThat(blocks(reopened, A)).isEqualTo(small - merged.blocksMerged() + merged.blocksWritten());
            assertSameAnswers(reopened, reference, A);
        }
    }

    /**
     * What a kill -9 leaves of the store: each index as of its last commit. Every writer is rolled back
     * (nothing after the last commit reaches disk), then the store object is dropped.
     */
    private static void crash(LuceneStorage store) throws IOException {
        for (Partition p : store.partitions(A, Signal.LOGS).openPartitions()) {
            p.discard();
        }
        store.close(); // closing what the rollback already closed commits nothing
    }
}
