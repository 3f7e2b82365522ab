package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** An API key as listed to its tenant's admins: never contains the secret. */
public record ApiKey(
        UUID id,
        TenantId tenant,
        String name,
        String displayPrefix,
        Set<Scope> scopes,
        Instant createdAt,
        Optional<Instant> lastUsedAt,
        Optional<Instant> revokedAt) {

    public boolean revoked() {
        return revokedAt.isPresent();
    }
}
