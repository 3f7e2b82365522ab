package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanEvent;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanLink;
import dev.nightjar.core.traces.SpanStatus;
import dev.nightjar.core.traces.StatusCode;
import java.util.List;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/** Stored spans come back equal, whichever way each string was written (ASCII in place, UTF-8, UTF-16). */
class SpanCodecTest {

    @Test
    void spansWithAsciiUnicodeAndLoneSurrogateStringsRoundTrip() {
        Resource resource = Resource.of("service.name", "checkout");
        for (String text :
                List.of("", "GET /cart", "café", "日本", "\uD83D\uDE00", "bad \uDC00 tail", "x".repeat(5000))) {
            Span s = Span.builder()
                    .traceId(new TraceId(1, 2))
                    .spanId(new SpanId(3))
                    .parentSpanId(new SpanId(4))
                    .traceState("k=" + text)
                    .name(text)
                    .kind(SpanKind.SERVER)
                    .startTimeUnixNano(1_000)
                    .endTimeUnixNano(3_000)
                    .attributes(Attributes.builder()
                            .put("key " + text, AttributeValue.of(text))
                            .put("n", AttributeValue.of(5L))
                            .build())
                    .events(List.of(new SpanEvent(2_000, text, Attributes.of("e", text))))
                    .links(List.of(new SpanLink(new TraceId(5, 6), new SpanId(7), text, Attributes.EMPTY)))
                    .status(new SpanStatus(StatusCode.ERROR, text))
                    .resource(resource)
                    .scope(new InstrumentationScope("scope " + text, "1", Attributes.EMPTY))
                    .build();
            BytesRef stored = RecordCodec.encodeSpan(s);
            assertThat(RecordCodec.decodeSpan(stored.bytes, stored.offset, stored.length, resource))
                    .as("%.20s", text)
                    .isEqualTo(s);
        }
    }
}
