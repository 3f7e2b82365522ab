package dev.nightjar.core.traces;

/** OTLP span kinds; {@link #ordinal()} is the OTLP enum number. */
public enum SpanKind {
    UNSPECIFIED,
    INTERNAL,
    SERVER,
    CLIENT,
    PRODUCER,
    CONSUMER;

    private static final SpanKind[] VALUES = values();

    public static SpanKind fromNumber(int number) {
        if (number < 0 || number >= VALUES.length) {
            throw new IllegalArgumentException("span kind " + number + " is outside 0..5");
        }
        return VALUES[number];
    }
}
