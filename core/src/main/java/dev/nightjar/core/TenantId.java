package dev.nightjar.core;

import java.util.Objects;
import java.util.UUID;

/**
 * The tenant that owns a piece of data. Every store read and write takes one; it is derived from a
 * verified credential, never from anything a client sends.
 */
public record TenantId(UUID value) {

    public TenantId {
        Objects.requireNonNull(value, "tenant id");
    }

    public static TenantId of(UUID value) {
        return new TenantId(value);
    }

    /** Parses the canonical UUID form; rejects anything else with an {@link IllegalArgumentException}. */
    public static TenantId parse(String text) {
        if (text == null || text.length() != 36) {
            throw new IllegalArgumentException("tenant id must be a UUID");
        }
        return new TenantId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
