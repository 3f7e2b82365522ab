package dev.nightjar.db.identity;

import java.util.Locale;
import java.util.Optional;

/** What an API key may be used for. A key carries one or more scopes. */
public enum Scope {
    /** Send telemetry (OTLP, remote_write). */
    INGEST,
    /** Query telemetry and read configuration. */
    READ,
    /** Manage keys, users and configuration; implies nothing else. */
    ADMIN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a scope name as sent by clients; unknown names yield empty rather than an exception. */
    public static Optional<Scope> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Scope scope : values()) {
            if (scope.value().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
