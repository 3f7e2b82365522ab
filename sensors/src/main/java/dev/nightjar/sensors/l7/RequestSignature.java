package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The first bytes a protocol's requests start with, as the kernel matches them: for each of at most
 * {@link #MAX_LENGTH} bytes, the range of values it may take. The kernel classifies a connection by
 * the first signature its request matches and then sends that protocol's requests and responses to
 * its parser; a signature should therefore be specific enough that other traffic rarely matches
 * (a false match costs events until the parser's rejections are seen, never a wrong count).
 *
 * <pre>{@code
 * RequestSignature.builder().literal("*").range('1', '9').literal("\r\n$").build()
 * }</pre>
 */
public final class RequestSignature {

    /** The most bytes a signature may describe (bpf/src/nightjar.h L7_SIGNATURE_BYTES). */
    public static final int MAX_LENGTH = 8;

    /** The fewest: shorter ones would claim too much of other protocols' traffic. */
    public static final int MIN_LENGTH = 2;

    private final byte[] lowest;
    private final byte[] highest;

    private RequestSignature(byte[] lowest, byte[] highest) {
        this.lowest = lowest;
        this.highest = highest;
    }

    /** A signature of exactly these ASCII bytes. */
    public static RequestSignature literal(String text) {
        return builder().literal(text).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int length() {
        return lowest.length;
    }

    /** The lowest value byte {@code i} may take, 0–255. */
    public int lowest(int i) {
        return lowest[i] & 0xff;
    }

    /** The highest value byte {@code i} may take, 0–255. */
    public int highest(int i) {
        return highest[i] & 0xff;
    }

    /** Whether {@code payload} starts with bytes this signature accepts (what the kernel tests). */
    public boolean matches(byte[] payload) {
        if (payload.length < length()) {
            return false;
        }
        for (int i = 0; i < length(); i++) {
            int b = payload[i] & 0xff;
            if (b < lowest(i) || b > highest(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestSignature s && Arrays.equals(lowest, s.lowest) && Arrays.equals(highest, s.highest);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lowest) + Arrays.hashCode(highest);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        StringBuilder out = new StringBuilder("RequestSignature[");
        for (int i = 0; i < length(); i++) {
            out.append(i == 0 ? "" : " ").append(hex.toHexDigits(lowest[i]));
            if (lowest[i] != highest[i]) {
                out.append('-').append(hex.toHexDigits(highest[i]));
            }
        }
        return out.append(']').toString();
    }

    /** Builds a signature byte by byte, from its first byte on. */
    public static final class Builder {

        private final byte[] lowest = new byte[MAX_LENGTH];
        private final byte[] highest = new byte[MAX_LENGTH];
        private int length;

        private Builder() {}

        /** These ASCII bytes, each exactly. */
        public Builder literal(String text) {
            for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                range(b & 0xff, b & 0xff);
            }
            return this;
        }

        /** One byte with a value from {@code low} to {@code high}, both included (0–255). */
        public Builder range(int low, int high) {
            if (low < 0 || high > 255 || low > high) {
                throw new IllegalArgumentException("a byte range is within 0-255 and low <= high: " + low + "-" + high);
            }
            if (length == MAX_LENGTH) {
                throw new IllegalArgumentException("a request signature has at most " + MAX_LENGTH + " bytes");
            }
            lowest[length] = (byte) low;
            highest[length] = (byte) high;
            length++;
            return this;
        }

        /** One byte of any value (a length field's byte, say). */
        public Builder any() {
            return range(0, 255);
        }

        public RequestSignature build() {
            if (length < MIN_LENGTH) {
                throw new IllegalArgumentException("a request signature has at least " + MIN_LENGTH + " bytes");
            }
            return new RequestSignature(Arrays.copyOf(lowest, length), Arrays.copyOf(highest, length));
        }
    }
}
