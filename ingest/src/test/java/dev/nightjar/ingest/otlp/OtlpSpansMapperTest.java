package dev.nightjar.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.traces.Span;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resources remembered across exports: the same answers as mapping each anew, bounded, invalid ones never kept. */
class OtlpSpansMapperTest {

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static Resource resource(String service, String pod) {
        return Resource.newBuilder()
                .addAttributes(kv("service.name", service))
                .addAttributes(kv("k8s.pod.name", pod))
                .build();
    }

    private static io.opentelemetry.proto.trace.v1.Span span(int i) {
        return io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(ByteString.copyFrom(
                        ByteBuffer.allocate(16).putLong(1).putLong(i + 1L).array()))
                .setSpanId(ByteString.copyFrom(
                        ByteBuffer.allocate(8).putLong(i + 1L).array()))
                .setName("op-" + i)
                .setStartTimeUnixNano(1_790_000_000_000_000_000L + i)
                .setEndTimeUnixNano(1_790_000_000_000_000_000L + i + 1000)
                .build();
    }

    private static ExportTraceServiceRequest export(Resource... resources) {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        int i = 0;
        for (Resource r : resources) {
            b.addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(r)
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(i++))));
        }
        return b.build();
    }

    @Test
    void aResourceSeenAgainMapsToTheSameValue() {
        OtlpSpansMapper mapper = new OtlpSpansMapper(IngestLimits.DEFAULTS);
        Mapped<Span> first = mapper.map(export(resource("checkout", "p-1"), resource("cart", "p-2")));
        // a new request: new message objects with equal content
        Mapped<Span> second = mapper.map(export(resource("checkout", "p-1"), resource("cart", "p-3")));
        assertThat(first.rejected()).isZero();
        assertThat(second.rejected()).isZero();
        assertThat(second.accepted().get(0).resource())
                .isSameAs(first.accepted().get(0).resource());
        assertThat(second.accepted().get(1).resource().attributes())
                .isEqualTo(Attributes.of("service.name", "cart", "k8s.pod.name", "p-3"));
        // the same spans as a mapper that never saw these resources
        assertThat(second.accepted())
                .isEqualTo(new OtlpSpansMapper(IngestLimits.DEFAULTS)
                        .map(export(resource("checkout", "p-1"), resource("cart", "p-3")))
                        .accepted());
    }

    @Test
    void aNewResourceInEveryExportStaysExactAndBounded() {
        OtlpSpansMapper mapper = new OtlpSpansMapper(IngestLimits.DEFAULTS);
        int n = OtlpSpansMapper.MAX_CACHED_RESOURCES * 3 + 7;
        for (int i = 0; i < n; i++) {
            Mapped<Span> m = mapper.map(export(resource("svc", "pod-" + i), resource("svc", "pod-" + (i % 5))));
            assertThat(m.accepted()).hasSize(2);
            assertThat(m.accepted().get(0).resource().attributes())
                    .isEqualTo(Attributes.of("service.name", "svc", "k8s.pod.name", "pod-" + i));
            assertThat(m.accepted().get(1).resource().attributes())
                    .isEqualTo(Attributes.of("service.name", "svc", "k8s.pod.name", "pod-" + (i % 5)));
        }
        assertThat(mapper.cachedResources()).isLessThanOrEqualTo(OtlpSpansMapper.MAX_CACHED_RESOURCES);
    }

    @Test
    void invalidResourcesAreRejectedEveryTimeAndLargeOnesMappedWithoutBeingKept() {
        OtlpSpansMapper mapper = new OtlpSpansMapper(IngestLimits.DEFAULTS);
        Resource invalid =
                Resource.newBuilder().addAttributes(kv("", "empty key")).build();
        for (int round = 0; round < 2; round++) {
            Mapped<Span> m = mapper.map(export(invalid, resource("ok", "p")));
            assertThat(m.rejected()).isEqualTo(1);
            assertThat(m.firstError()).contains("attribute key");
            assertThat(m.accepted()).hasSize(1);
        }
        Resource large = resource("big", "x".repeat(OtlpSpansMapper.MAX_CACHED_RESOURCE_BYTES));
        int before = mapper.cachedResources();
        List<Span> spans = mapper.map(export(large)).accepted();
        assertThat(spans).hasSize(1);
        assertThat(spans.getFirst().resource().attributes().getText("k8s.pod.name"))
                .contains("x".repeat(OtlpSpansMapper.MAX_CACHED_RESOURCE_BYTES));
        assertThat(mapper.cachedResources()).isEqualTo(before);
    }
}
