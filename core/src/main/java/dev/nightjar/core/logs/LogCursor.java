package dev.nightjar.core.logs;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Where the next newest-first page starts: just after the record with this (time, tiebreak) sort key.
 * The tiebreak is a store-assigned id that orders records with equal times. Opaque to clients: {@link
 * #encode()} and {@link #decode(String)} turn it into a URL-safe token.
 */
public record LogCursor(long timeUnixNano, long tiebreak) {

    public String encode() {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(timeUnixNano).putLong(tiebreak);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    public static LogCursor decode(String token) {
        if (token == null || token.length() != 22) {
            throw new IllegalArgumentException("invalid page cursor");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token));
            return new LogCursor(b.getLong(), b.getLong());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid page cursor", e);
        }
    }

    /**
     * Whether a record with this sort key comes after the cursor in newest-first order (time descending,
     * then tiebreak descending as a signed long).
     */
    public boolean isBefore(long time, long id) {
        return time < timeUnixNano || (time == timeUnixNano && id < tiebreak);
    }
}
