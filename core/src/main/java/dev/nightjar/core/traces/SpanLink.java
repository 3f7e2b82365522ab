package dev.nightjar.core.traces;

import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.util.Objects;

/** A link from a span to a span of another (or the same) trace. */
public record SpanLink(TraceId traceId, SpanId spanId, String traceState, Attributes attributes) {

    public SpanLink {
        Objects.requireNonNull(traceId, "link trace id");
        Objects.requireNonNull(spanId, "link span id");
        Objects.requireNonNull(traceState, "link trace state");
        Objects.requireNonNull(attributes, "link attributes");
    }
}
