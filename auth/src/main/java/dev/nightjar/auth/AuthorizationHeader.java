package dev.nightjar.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Extracts an API key from an Authorization header value. Bearer carries the key itself; Basic carries
 * it as the password (Grafana's data sources and many exporters only speak Basic), the user is ignored.
 */
public final class AuthorizationHeader {
    static final int MAX_LENGTH = 1024;

    private AuthorizationHeader() {}

    /** The key, or empty when the header is absent, oversized or not Bearer/Basic. */
    public static Optional<String> apiKey(String header) {
        if (header == null || header.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int space = header.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String value = header.substring(space + 1).strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (scheme) {
            case "bearer" -> Optional.of(value);
            case "basic" -> basicPassword(value);
            default -> Optional.empty();
        };
    }

    private static Optional<String> basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? Optional.empty()
                    : Optional.of(decoded.substring(colon + 1)).filter(p -> !p.isEmpty());
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
