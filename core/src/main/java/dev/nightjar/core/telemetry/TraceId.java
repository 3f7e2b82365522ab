package dev.nightjar.core.telemetry;

import java.util.HexFormat;

/** A 16-byte W3C/OTLP trace id; all-zero is invalid, as in OTLP. */
public record TraceId(long high, long low) {

    public TraceId {
        if (high == 0 && low == 0) {
            throw new IllegalArgumentException("trace id is all zero");
        }
    }

    /** Parses 32 hex digits (either case). */
    public static TraceId fromHex(String hex) {
        if (hex == null || hex.length() != 32) {
            throw new IllegalArgumentException("trace id must be 32 hex digits");
        }
        try {
            return new TraceId(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trace id must be 32 hex digits", e);
        }
    }

    public static TraceId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 16) {
            throw new IllegalArgumentException("trace id must be 16 bytes");
        }
        return new TraceId(Bytes.getLong(bytes, 0), Bytes.getLong(bytes, 8));
    }

    public byte[] toBytes() {
        byte[] out = new byte[16];
        Bytes.putLong(out, 0, high);
        Bytes.putLong(out, 8, low);
        return out;
    }

    public String toHex() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
