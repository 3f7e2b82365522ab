package dev.nightjar.core.traces;

import dev.nightjar.core.telemetry.Attributes;
import java.util.Objects;

/** A timestamped event in a span (an exception, a retry). */
public record SpanEvent(long timeUnixNano, String name, Attributes attributes) {

    public SpanEvent {
        Objects.requireNonNull(name, "event name");
        Objects.requireNonNull(attributes, "event attributes");
    }
}
