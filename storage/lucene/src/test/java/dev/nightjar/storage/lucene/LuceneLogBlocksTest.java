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
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the block layout adds beyond the conformance suite: blocks that overlap in time (many writes,
 * blocks cut at {@link LogBlocks#MAX_RECORDS}, two partitions) must page, count and rank exactly as the
 * reference store does; equal times page without loss or duplicates; the resource table's cap.
 */
class LuceneLogBlocksTest {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000b1");
    private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    private static final TimeRange ALL = new TimeRange(T0.minus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2)));
    private static final String[] WORDS = {
        "alpha", "beta", "gamma", "delta", "timeout", "connection", "refused", "cache", "miss", "user", "login"
    };

    @TempDir
    Path dir;

    private static LuceneStorage lucene(Path dir) {
        return new LuceneStorage(LuceneStorageConfig.defaults(dir).withCommitInterval(null));
    }

    /** Random records with distinct times over two days (two partitions), from a small pool of resources. */
    static List<LogRecord> randomRecords(int n, SplittableRandom rnd, List<TraceId> traces) {
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            resources.add(Resource.of("service.name", "svc-" + (i % 4), "k8s.pod.name", "pod-" + i, "replica", i));
        }
        Set<Long> times = new HashSet<>();
        List<LogRecord> out = new ArrayList<>();
        while (out.size() < n) {
            long t = Timestamps.toNanos(T0.minus(Duration.ofDays(1)))
                    + rnd.nextLong(Duration.ofDays(2).toNanos());
            if (!times.add(t)) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            for (int w = rnd.nextInt(1, 6); w > 0; w--) {
                body.append(WORDS[rnd.nextInt(WORDS.length)]).append(rnd.nextBoolean() ? " " : ", ");
            }
            body.append("id-").append(out.size());
            int k = out.size();
            if (k % 7 == 0) { // high-entropy words (hex ids, long numbers) live in the blocks' filters
                body.append(" req ").append(Long.toHexString(k * 0x9E3779B97F4A7C15L | 1L << 60));
                body.append(" took ").append(100_000 + k * 13);
            }
            TraceId trace = traces.get(rnd.nextInt(traces.size()));
            out.add(LogRecord.builder()
                    .timeUnixNano(t)
                    .severityNumber(rnd.nextInt(1, 25))
                    .severityText(rnd.nextInt(10) == 0 ? "Oops" : "")
                    .body(body.toString())
                    .attributes(Attributes.of(
                            "http.status_code",
                            200 + 100 * rnd.nextInt(4),
                            "user",
                            "u" + rnd.nextInt(30),
                            "client.address",
                            "10.0." + (k % 50) + ".7"))
                    .traceId(rnd.nextInt(3) == 0 ? null : trace)
                    .spanId(new SpanId(rnd.nextLong()))
                    .resource(resources.get(rnd.nextInt(resources.size())))
                    .build());
        }
        return out;
    }

    static List<LogRecord> allPages(StorageComponent s, LogFilter f, int pageSize) {
        List<LogRecord> out = new ArrayList<>();
        LogPage page = s.logReader().search(TENANT, LogQuery.of(f, pageSize));
        out.addAll(page.records());
        while (page.next() != null) {
            page = s.logReader().search(TENANT, new LogQuery(f, pageSize, page.next()));
            out.addAll(page.records());
        }
        return out;
    }

    @Test
    void overlappingBlocksAnswerExactlyAsTheReferenceStore() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<TraceId> traces = List.of(new TraceId(1, 2), new TraceId(3, 4), new TraceId(-5, 6));
        List<LogRecord> records = randomRecords(12_000, rnd, traces);
        InMemoryStorage reference = new InMemoryStorage();
        try (LuceneStorage store = lucene(dir)) {
            // batches of very different sizes: blocks overlap in time, and one batch spans several blocks
            for (int i = 0; i < records.size(); ) {
                int size = i == 0 ? 9_000 : rnd.nextInt(1, 400);
                List<LogRecord> batch = records.subList(i, Math.min(records.size(), i + size));
                store.logWriter().write(TENANT, batch);
                reference.logWriter().write(TENANT, batch);
                i += batch.size();
            }
            store.flush();
            List<LogFilter> filters = List.of(
                    LogFilter.of(ALL),
                    LogFilter.builder(ALL).term("timeout").build(),
                    LogFilter.builder(ALL).term("connection refused").build(),
                    LogFilter.builder(ALL).term("id-4711").build(),
                    LogFilter.builder(ALL)
                            .term(Long.toHexString(700 * 0x9E3779B97F4A7C15L | 1L << 60))
                            .build(),
                    LogFilter.builder(ALL)
                            .term("took " + (100_000 + 9_002 * 13))
                            .build(),
                    LogFilter.builder(ALL)
                            .attribute("client.address", "10.0.17.7")
                            .build(),
                    LogFilter.builder(ALL).resource("service.name", "svc-1").build(),
                    LogFilter.builder(ALL).attribute("user", "u7").build(),
                    LogFilter.builder(ALL)
                            .severity(SeverityLevel.ERROR, SeverityLevel.FATAL)
                            .build(),
                    LogFilter.builder(ALL)
                            .filter(AttributeFilter.intrinsic(
                                    FieldRef.TRACE_ID, traces.get(2).toHex()))
                            .build(),
                    LogFilter.builder(ALL)
                            .filter(AttributeFilter.intrinsic(FieldRef.SEVERITY_TEXT, "Oops"))
                            .build(),
                    LogFilter.builder(ALL)
                            .range(FieldRef.attribute("http.status_code"), 350.0, 450.0)
                            .build(),
                    LogFilter.builder(ALL)
                            .range(FieldRef.resource("replica"), 3.0, 5.0)
                            .term("cache")
                            .build(),
                    LogFilter.builder(new TimeRange(T0.minus(Duration.ofHours(3)), T0.plus(Duration.ofHours(2))))
                            .build());
            for (LogFilter absent : List.of(
                    LogFilter.builder(ALL).term("ffffffffffff0000").build(),
                    LogFilter.builder(ALL).term("took 100001").build(),
                    LogFilter.builder(ALL)
                            .attribute("client.address", "10.0.99.7")
                            .build())) {
                assertThat(allPages(store, absent, 50)).as("%s", absent).isEmpty();
                assertThat(allPages(reference, absent, 50)).isEmpty();
            }
            for (LogFilter f : filters) {
                List<LogRecord> expected = allPages(reference, f, 1000);
                assertThat(expected).as("filter %s selects something", f).isNotEmpty();
                assertThat(allPages(store, f, 97)).as("pages of %s", f).isEqualTo(expected);
                LogHistogramQuery h = new LogHistogramQuery(f, Duration.ofHours(1));
                assertThat(store.logReader().histogram(TENANT, h))
                        .isEqualTo(reference.logReader().histogram(TENANT, h));
                for (FieldRef field : List.of(
                        FieldRef.resource("k8s.pod.name"),
                        FieldRef.attribute("user"),
                        FieldRef.intrinsic(FieldRef.SEVERITY_TEXT))) {
                    TopValuesQuery q = new TopValuesQuery(f, field, 50);
                    assertThat(store.logReader().topValues(TENANT, q))
                            .as("top %s of %s", field, f)
                            .isEqualTo(reference.logReader().topValues(TENANT, q));
                }
            }
        }
    }

    @Test
    void equalTimesPageWithoutLossOrDuplicates() {
        long t = Timestamps.toNanos(T0);
        try (LuceneStorage store = lucene(dir)) {
            int n = 0;
            for (int batch = 0; batch < 5; batch++) {
                List<LogRecord> records = new ArrayList<>();
                for (int i = 0; i < 700; i++) {
                    records.add(LogRecord.builder()
                            .timeUnixNano(t)
                            .body("same time " + n++)
                            .build());
                }
                store.logWriter().write(TENANT, records);
            }
            store.flush();
            List<String> bodies = allPages(store, LogFilter.of(ALL), 64).stream()
                    .map(LogRecord::bodyText)
                    .toList();
            assertThat(bodies).hasSize(n).doesNotHaveDuplicates();
        }
    }

    @Test
    void hugeRecordsAreSplitIntoSeveralBlocksAndReadBackWhole() throws Exception {
        // 40 records of 1 MiB bodies: more than one block may hold, in a single write
        SplittableRandom rnd = new SplittableRandom(3);
        List<LogRecord> records = new ArrayList<>();
        long t = Timestamps.toNanos(T0.plusSeconds(3600)); // all in one daily partition
        for (int i = 0; i < 40; i++) {
            StringBuilder body =
                    new StringBuilder(1 << 20).append("huge").append(i).append(' ');
            while (body.length() < 1 << 20) {
                body.append(Long.toString(rnd.nextLong(), 36)).append(' ');
            }
            records.add(LogRecord.builder()
                    .timeUnixNano(t - i)
                    .body(body.toString())
                    .build());
        }
        try (LuceneStorage store = lucene(dir)) {
            store.logWriter().write(TENANT, records);
            store.flush();
            assertThat(allPages(store, LogFilter.of(ALL), 100)).isEqualTo(records);
            assertThat(store.logReader()
                            .search(
                                    TENANT,
                                    LogQuery.of(
                                            LogFilter.builder(ALL)
                                                    .term("huge17")
                                                    .build(),
                                            10))
                            .records())
                    .containsExactly(records.get(17));
            PartitionSet set = store.partitions(TENANT, Signal.LOGS);
            try (PartitionSet.Lease lease = set.lease(onlyPartition(store))) {
                int blocks = lease.searcher().count(new org.apache.lucene.search.FieldExistsQuery(LogBlocks.BLOCK));
                assertThat(blocks).isGreaterThan(1);
            }
        }
    }

    @Test
    void aClientSendingAResourcePerRecordCannotGrowTheTableBeyondItsCap() {
        int n = ResourceTable.MAX_LOG_RESOURCES + 300;
        long t = Timestamps.toNanos(T0);
        try (LuceneStorage store = lucene(dir)) {
            for (int i = 0; i < n; i += 1000) {
                List<LogRecord> batch = new ArrayList<>();
                for (int j = i; j < Math.min(n, i + 1000); j++) {
                    batch.add(LogRecord.builder()
                            .timeUnixNano(t + j)
                            .body("request " + j)
                            .resource(Resource.of("service.name", "svc", "request.id", "r-" + j))
                            .build());
                }
                store.logWriter().write(TENANT, batch);
            }
            store.flush();
            Partition p = onlyPartition(store);
            assertThat(p.resources.size()).isEqualTo(ResourceTable.MAX_LOG_RESOURCES);
            assertInlineResourcesAnswerExactly(store, n);
        }
        // the inline resources are in the blocks: they survive a restart, and the table stays capped
        try (LuceneStorage store = lucene(dir)) {
            assertInlineResourcesAnswerExactly(store, n);
            assertThat(onlyPartition(store).resources.size()).isEqualTo(ResourceTable.MAX_LOG_RESOURCES);
        }
    }

    private static Partition onlyPartition(LuceneStorage store) {
        try {
            List<Partition> all = store.partitions(TENANT, Signal.LOGS).all();
            assertThat(all).hasSize(1);
            return all.getFirst();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertInlineResourcesAnswerExactly(LuceneStorage store, int n) {
        String last = "r-" + (n - 1);
        LogPage page = store.logReader()
                .search(
                        TENANT,
                        LogQuery.of(
                                LogFilter.builder(ALL)
                                        .resource("request.id", last)
                                        .build(),
                                10));
        assertThat(page.records()).singleElement().satisfies(r -> {
            assertThat(r.bodyText()).isEqualTo("request " + (n - 1));
            assertThat(r.resource().attributes().getText("request.id")).contains(last);
        });
        assertThat(store.logReader()
                        .topValues(TENANT, new TopValuesQuery(LogFilter.of(ALL), FieldRef.resource("service.name"), 5)))
                .singleElement()
                .satisfies(v -> assertThat(v.count()).isEqualTo(n));
        assertThat(allPages(store, LogFilter.of(ALL), 1000)).hasSize(n);
    }
}
