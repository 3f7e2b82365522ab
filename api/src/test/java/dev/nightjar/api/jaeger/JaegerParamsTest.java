package dev.nightjar.api.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JaegerParamsTest {

    @Test
    void durationsFollowGoSyntax() {
        assertThat(JaegerDurations.parse("minDuration", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(JaegerDurations.parse("minDuration", "100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(JaegerDurations.parse("minDuration", "250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThatIllegalArgumentException().isThrownBy(() -> JaegerDurations.parse("minDuration", "-1s"));
        assertThatIllegalArgumentException().isThrownBy(() -> JaegerDurations.parse("minDuration", "1e400h"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JaegerDurations.parse("maxDuration", "9".repeat(40) + "h"))
                .withMessageContaining("maxDuration");
    }

    @Test
    void tagsAreAJsonObjectAndAnythingElseIsRefused() {
        assertThat(JaegerResource.parseTags("{\"http.status_code\":\"500\",\"retry\":true}"))
                .isEqualTo(Map.of("http.status_code", "500", "retry", "true"));
        assertThat(JaegerResource.parseTags(null)).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> JaegerResource.parseTags("[1,2]"));
        assertThatIllegalArgumentException().isThrownBy(() -> JaegerResource.parseTags("{\"a\":"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JaegerResource.parseTags("{\"a\":\"" + "x".repeat(9000) + "\"}"));
    }

    @Test
    void traceIdsMayLackLeadingZerosButNotBeLongerOrNonHex() {
        assertThat(JaegerResource.padTraceId("abc")).isEqualTo("0".repeat(29) + "abc");
        assertThatIllegalArgumentException().isThrownBy(() -> JaegerResource.padTraceId("f".repeat(33)));
        assertThatIllegalArgumentException().isThrownBy(() -> TraceId.fromHex(JaegerResource.padTraceId("zz' OR 1=1")));
    }

    @Test
    void spansBecomeJaegerSpansWithProcessesAndReferences() {
        TraceId trace = TraceId.fromHex("0102030405060708090a0b0c0d0e0f10");
        Resource cart = Resource.of("service.name", "cart", "host.name", "h1");
        Span root = Span.builder()
                .traceId(trace)
                .spanId(new SpanId(1))
                .name("GET /cart")
                .kind(SpanKind.SERVER)
                .startTimeUnixNano(1_000_000_000L)
                .endTimeUnixNano(1_002_000_000L)
                .attributes(Attributes.of("http.response.status_code", 500L))
                .status(SpanStatus.error("boom"))
                .resource(cart)
                .scope(InstrumentationScope.of("lib", "1"))
                .build();
        Span child = root.toBuilder()
                .spanId(new SpanId(2))
                .parentSpanId(new SpanId(1))
                .name("SELECT")
                .kind(SpanKind.CLIENT)
                .status(SpanStatus.UNSET)
                .build();
        JaegerModel.Trace t = JaegerModel.trace(List.of(root, child));
        assertThat(t.traceID()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
        assertThat(t.processes()).containsOnlyKeys("p1");
        assertThat(t.processes().get("p1").serviceName()).isEqualTo("cart");
        assertThat(t.processes().get("p1").tags())
                .extracting(JaegerModel.Tag::key)
                .containsExactly("host.name");
        JaegerModel.JSpan r = t.spans().get(0);
        assertThat(r.startTime()).isEqualTo(1_000_000);
        assertThat(r.duration()).isEqualTo(2_000);
        assertThat(r.references()).isEmpty();
        assertThat(r.tags())
                .contains(
                        new JaegerModel.Tag("http.response.status_code", "int64", 500L),
                        new JaegerModel.Tag("error", "bool", true),
                        new JaegerModel.Tag("span.kind", "string", "server"));
        assertThat(t.spans().get(1).references())
                .containsExactly(new JaegerModel.Reference("CHILD_OF", t.traceID(), "0000000000000001"));
    }
}
