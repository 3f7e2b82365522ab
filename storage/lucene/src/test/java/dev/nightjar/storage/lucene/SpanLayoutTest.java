package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.RedStats;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanStatus;
import dev.nightjar.core.traces.StatusCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Span layout 3 (kind, status and entry packed in one field) and the refusal of earlier layouts' partitions. */
class SpanLayoutTest {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000c7");
    private static final Instant T0 = Instant.parse("2026-11-22T01:00:00Z");
    private static final TimeRange DAY = new TimeRange(T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));

    @TempDir
    Path dir;

    private static LuceneStorage lucene(Path dir) {
        return new LuceneStorage(LuceneStorageConfig.defaults(dir).withCommitInterval(null));
    }

    private static Span span(int j, SpanKind kind, StatusCode status, boolean root) {
        long start = Timestamps.toNanos(T0) + j * 1_000L;
        return Span.builder()
                .traceId(TraceId.fromBytes(
                        ByteBuffer.allocate(16).putLong(9).putLong(j / 4 + 1L).array()))
                .spanId(SpanId.fromBytes(ByteBuffer.allocate(8).putLong(j + 1L).array()))
                .parentSpanId(
                        root
                                ? null
                                : SpanId.fromBytes(
                                        ByteBuffer.allocate(8).putLong(1000 + j).array()))
                .name("op-" + (j % 3))
                .kind(kind)
                .startTimeUnixNano(start)
                .endTimeUnixNano(start + 1_000_000L * (1 + j))
                .status(
                        status == StatusCode.ERROR
                                ? SpanStatus.error("boom")
                                : status == StatusCode.OK ? SpanStatus.OK : SpanStatus.UNSET)
                .resource(Resource.of("service.name", "svc-" + (j % 2)))
                .build();
    }

    @Test
    void everyKindStatusAndEntryCombinationIsFoundByItsFilters() {
        List<Span> spans = new ArrayList<>();
        int j = 0;
        for (SpanKind kind : SpanKind.values()) {
            for (StatusCode status : StatusCode.values()) {
                for (boolean root : new boolean[] {true, false}) {
                    spans.add(span(j++, kind, status, root));
                }
            }
        }
        try (LuceneStorage store = lucene(dir)) {
            store.spanWriter().write(TENANT, spans);
            store.flush();
            for (SpanKind kind : SpanKind.values()) {
                for (StatusCode status : StatusCode.values()) {
                    List<Span> expected = spans.stream()
                            .filter(s -> s.kind() == kind && s.status().code() == status)
                            .toList();
                    List<Span> found = store.spanReader()
                            .searchSpans(
                                    TENANT,
                                    SpanQuery.builder(DAY)
                                            .kind(kind)
                                            .status(status)
                                            .limit(100)
                                            .build());
                    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
                }
                long ofKind = spans.stream().filter(s -> s.kind() == kind).count();
                assertThat(store.spanReader()
                                .searchSpans(
                                        TENANT,
                                        SpanQuery.builder(DAY)
                                                .kind(kind)
                                                .limit(100)
                                                .build()))
                        .hasSize((int) ofKind);
            }
            List<Span> errors = store.spanReader()
                    .searchSpans(
                            TENANT,
                            SpanQuery.builder(DAY)
                                    .status(StatusCode.ERROR)
                                    .limit(100)
                                    .build());
            assertThat(errors).hasSize(spans.size() / StatusCode.values().length);
            // RED counts entry spans only (SERVER, CONSUMER or roots); errors by status
            List<Span> entries = spans.stream().filter(Span::isEntry).toList();
            List<RedStats> red = store.spanReader().serviceRed(TENANT, DAY);
            assertThat(red.stream().mapToLong(RedStats::requests).sum()).isEqualTo(entries.size());
            assertThat(red.stream().mapToLong(RedStats::errors).sum())
                    .isEqualTo(entries.stream()
                            .filter(s -> s.status().code() == StatusCode.ERROR)
                            .count());
            List<Operation> ops = store.spanReader().operations(TENANT, "svc-0", DAY);
            assertThat(ops)
                    .containsExactlyInAnyOrderElementsOf(spans.stream()
                            .filter(s -> s.resource().serviceName().equals("svc-0"))
                            .map(s -> new Operation(s.name(), s.kind()))
                            .distinct()
                            .toList());
        }
        // a reopened partition reads its spans back with their resources
        try (LuceneStorage store = lucene(dir)) {
            assertThat(store.spanReader().getTrace(TENANT, spans.getFirst().traceId()))
                    .containsExactlyElementsOf(spans.subList(0, 4));
        }
    }

    /** A partition directory holding one document with the given doc-values fields (and the sort fields). */
    private Path earlierPartition(String day, String... fields) throws IOException {
        Path partition = dir.resolve("tenants")
                .resolve(TENANT.toString())
                .resolve("spans")
                .resolve(day);
        try (FSDirectory d = FSDirectory.open(partition);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setIndexSort(Signal.SPANS.sort))) {
            Document doc = new Document();
            doc.add(new NumericDocValuesField(SpanIndex.START, Timestamps.toNanos(T0)));
            doc.add(new NumericDocValuesField(SpanIndex.SID, 1));
            for (String f : fields) {
                doc.add(new IntPoint(f, 1));
                doc.add(new NumericDocValuesField(f, 1));
            }
            w.addDocument(doc);
            w.commit();
        }
        return partition;
    }

    @Test
    void partitionsOfEarlierLayoutsAreRefusedWithAClearError() throws IOException {
        earlierPartition("20261122T0000Z", "kind", "status", "entry");
        Span layout1Day = span(0, SpanKind.SERVER, StatusCode.UNSET, true);
        try (LuceneStorage store = lucene(dir)) {
            assertThatThrownBy(() -> store.spanWriter().write(TENANT, List.of(layout1Day)))
                    .hasMessageContaining("span layout 1")
                    .hasMessageContaining("20261122T0000Z")
                    .hasMessageContaining("delete the partition directory");
            assertThatThrownBy(() -> store.spanReader().getTrace(TENANT, layout1Day.traceId()))
                    .hasMessageContaining("span layout 1");
        }
        PartitionSet.deleteRecursively(dir.resolve("tenants"));
        earlierPartition("20261122T0000Z", "edur");
        try (LuceneStorage store = lucene(dir)) {
            assertThatThrownBy(() -> store.spanWriter().write(TENANT, List.of(layout1Day)))
                    .hasMessageContaining("span layout 2")
                    .hasMessageContaining("delete the partition directory");
        }
    }
}
