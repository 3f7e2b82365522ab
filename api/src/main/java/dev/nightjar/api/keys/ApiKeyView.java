package dev.nightjar.api.keys;

import dev.nightjar.db.identity.ApiKey;
import dev.nightjar.db.identity.Scope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An API key as the REST API shows it: never the secret. */
public record ApiKeyView(
        UUID id,
        String name,
        String prefix,
        List<String> scopes,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        boolean revoked) {

    static ApiKeyView of(ApiKey key) {
        return new ApiKeyView(
                key.id(),
                key.name(),
                key.displayPrefix(),
                key.scopes().stream().map(Scope::value).toList(),
                key.createdAt(),
                key.lastUsedAt().orElse(null),
                key.revokedAt().orElse(null),
                key.revoked());
    }
}
