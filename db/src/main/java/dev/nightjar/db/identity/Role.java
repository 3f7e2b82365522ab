package dev.nightjar.db.identity;

import java.util.Locale;

/** What a user may do inside one tenant. */
public enum Role {
    ADMIN,
    EDITOR,
    VIEWER;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
