package dev.nightjar.core.traces;

import java.util.Objects;

public record SpanStatus(StatusCode code, String message) {

    public static final SpanStatus UNSET = new SpanStatus(StatusCode.UNSET, "");
    public static final SpanStatus OK = new SpanStatus(StatusCode.OK, "");

    public SpanStatus {
        Objects.requireNonNull(code, "status code");
        Objects.requireNonNull(message, "status message");
    }

    public static SpanStatus error(String message) {
        return new SpanStatus(StatusCode.ERROR, message);
    }
}
