package dev.nightjar.core.traces;

/** OTLP span status codes; {@link #ordinal()} is the OTLP enum number. */
public enum StatusCode {
    UNSET,
    OK,
    ERROR;

    private static final StatusCode[] VALUES = values();

    public static StatusCode fromNumber(int number) {
        if (number < 0 || number >= VALUES.length) {
            throw new IllegalArgumentException("status code " + number + " is outside 0..2");
        }
        return VALUES[number];
    }
}
