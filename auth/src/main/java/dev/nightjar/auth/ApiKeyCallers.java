package dev.nightjar.auth;

import dev.nightjar.db.identity.ApiKeys;
import dev.nightjar.db.identity.VerifiedApiKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * API-key verification for a hot ingest route that answers before Quarkus' HTTP security chain runs
 * (remote_write): the same key cache and database check as {@link ApiKeyIdentityProvider}, so a revoked
 * key is refused at once, and the same caller (tenant and scopes from the key only). Profiles of
 * remote_write showed the generic chain's reactive pipeline costing about as much event-loop CPU per
 * request as reading the request itself.
 */
@ApplicationScoped
public class ApiKeyCallers {
    private final ApiKeys apiKeys;

    ApiKeyCallers(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /**
     * The caller of a key verified within the cache's lifetime and not revoked since; empty when
     * {@link #verify} must ask the database. Does not block.
     */
    public Optional<Caller> cached(String key) {
        return apiKeys.cached(key).map(ApiKeyCallers::caller);
    }

    /** Checks the key against the database (blocking); empty for an unknown, malformed or revoked key. */
    public Optional<Caller> verify(String key) {
        return apiKeys.verify(key).map(ApiKeyCallers::caller);
    }

    private static Caller caller(VerifiedApiKey key) {
        return new Caller(
                key.tenant(), "key:" + key.displayPrefix(), Caller.Kind.API_KEY, Permissions.of(key.scopes()));
    }
}
