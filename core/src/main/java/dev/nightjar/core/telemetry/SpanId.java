package dev.nightjar.core.telemetry;

import java.util.HexFormat;

/** An 8-byte OTLP span id; all-zero is invalid, as in OTLP. */
public record SpanId(long value) {

    public SpanId {
        if (value == 0) {
            throw new IllegalArgumentException("span id is all zero");
        }
    }

    /** Parses 16 hex digits (either case). */
    public static SpanId fromHex(String hex) {
        if (hex == null || hex.length() != 16) {
            throw new IllegalArgumentException("span id must be 16 hex digits");
        }
        try {
            return new SpanId(HexFormat.fromHexDigitsToLong(hex));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("span id must be 16 hex digits", e);
        }
    }

    public static SpanId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 8) {
            throw new IllegalArgumentException("span id must be 8 bytes");
        }
        return new SpanId(Bytes.getLong(bytes, 0));
    }

    public byte[] toBytes() {
        byte[] out = new byte[8];
        Bytes.putLong(out, 0, value);
        return out;
    }

    public String toHex() {
        return HexFormat.of().toHexDigits(value);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
