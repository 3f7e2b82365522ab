package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys. Every method but {@link #verify} is scoped to the caller's tenant; {@code verify} is how a
 * tenant is derived from a credential in the first place.
 */
@ApplicationScoped
public class ApiKeys {
    public static final int MAX_KEYS_PER_TENANT = 1000;
    // Verified keys are remembered briefly so ingest does not hit the database on every request;
    // revoking through this instance evicts at once, other instances see it within this TTL.
    private static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final int CACHE_LIMIT = 10_000;

    private final Repositories.ApiKeyRepository keys;
    private final Map<String, CachedKey> cache = new ConcurrentHashMap<>();

    ApiKeys(Repositories.ApiKeyRepository keys) {
        this.keys = keys;
    }

    private record CachedKey(VerifiedApiKey key, Instant expires) {}

    @Transactional
    public List<ApiKey> list(TenantId tenant) {
        return keys.list("tenantId = ?1 order by createdAt desc, id", tenant.value()).stream()
                .map(ApiKeyEntity::toValue)
                .toList();
    }

    @Transactional
    public Optional<ApiKey> find(TenantId tenant, UUID id) {
        return keys.find("id = ?1 and tenantId = ?2", id, tenant.value())
                .firstResultOptional()
                .map(ApiKeyEntity::toValue);
    }

    /** Creates a key with a fresh random secret. */
    @Transactional
    public IssuedApiKey create(TenantId tenant, String name, Set<Scope> scopes, Optional<UUID> createdBy) {
        return insert(tenant, name, scopes, createdBy, Secrets.newApiKey());
    }

    /** Creates a key with a secret chosen by an operator (first-start automation). */
    @Transactional
    public IssuedApiKey createWithSecret(TenantId tenant, String name, Set<Scope> scopes, String secret) {
        if (!Secrets.plausibleApiKey(secret)) {
            throw new IllegalArgumentException("an API key is " + Secrets.MIN_API_KEY_LENGTH + "-"
                    + Secrets.MAX_API_KEY_LENGTH + " printable ASCII characters without spaces");
        }
        if (keys.count("keyHash", Secrets.sha256(secret)) > 0) {
            throw new IllegalArgumentException("that API key value is already in use");
        }
        return insert(tenant, name, scopes, Optional.empty(), secret);
    }

    /** Revokes a key of this tenant; false when the tenant has no such key. Revoking twice is harmless. */
    @Transactional
    public boolean revoke(TenantId tenant, UUID id) {
        Optional<ApiKeyEntity> found =
                keys.find("id = ?1 and tenantId = ?2", id, tenant.value()).firstResultOptional();
        found.filter(k -> k.revokedAt == null).ifPresent(k -> k.revokedAt = Instant.now());
        cache.values().removeIf(c -> c.key().keyId().equals(id));
        return found.isPresent();
    }

    /**
     * A key verified within the cache's lifetime and not revoked through this instance since; empty when
     * {@link #verify} must ask the database. Needs no transaction, so request threads that must not block
     * (the HTTP event loop) can call it first.
     */
    public Optional<VerifiedApiKey> cached(String presented) {
        if (!Secrets.plausibleApiKey(presented)) {
            return Optional.empty();
        }
        CachedKey cached = cache.get(HexFormat.of().formatHex(Secrets.sha256(presented)));
        return cached != null && cached.expires().isAfter(Instant.now()) ? Optional.of(cached.key()) : Optional.empty();
    }

    /** Checks a presented key. Empty for unknown, malformed or revoked keys. */
    @Transactional
    public Optional<VerifiedApiKey> verify(String presented) {
        Optional<VerifiedApiKey> known = cached(presented);
        if (known.isPresent()) {
            return known;
        }
        if (!Secrets.plausibleApiKey(presented)) {
            return Optional.empty();
        }
        byte[] hash = Secrets.sha256(presented);
        String cacheKey = HexFormat.of().formatHex(hash);
        Instant now = Instant.now();
        Optional<ApiKeyEntity> found =
                keys.find("keyHash = ?1 and revokedAt is null", (Object) hash).firstResultOptional();
        if (found.isEmpty()) {
            cache.remove(cacheKey);
            return Optional.empty();
        }
        ApiKeyEntity entity = found.get();
        if (entity.lastUsedAt == null || entity.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
            entity.lastUsedAt = now;
        }
        VerifiedApiKey verified =
                new VerifiedApiKey(entity.id, TenantId.of(entity.tenantId), entity.displayPrefix, entity.scopeSet());
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(cacheKey, new CachedKey(verified, now.plus(CACHE_TTL)));
        return Optional.of(verified);
    }

    private IssuedApiKey insert(
            TenantId tenant, String name, Set<Scope> scopes, Optional<UUID> createdBy, String secret) {
        String cleanName = validateName(name);
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("an API key needs at least one scope (ingest, read, admin)");
        }
        if (keys.count("tenantId", tenant.value()) >= MAX_KEYS_PER_TENANT) {
            throw new IllegalArgumentException("a tenant may have at most " + MAX_KEYS_PER_TENANT + " API keys");
        }
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID();
        entity.tenantId = tenant.value();
        entity.name = cleanName;
        entity.displayPrefix = Secrets.displayPrefix(secret);
        entity.keyHash = Secrets.sha256(secret);
        entity.scopes = EnumSet.copyOf(scopes).stream().map(Scope::value).toArray(String[]::new);
        entity.createdBy = createdBy.orElse(null);
        entity.createdAt = Instant.now();
        keys.persist(entity);
        return new IssuedApiKey(entity.toValue(), secret);
    }

    static String validateName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an API key needs a name");
        }
        String stripped = name.strip();
        if (stripped.length() > 100) {
            throw new IllegalArgumentException("an API key name has at most 100 characters");
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("an API key name may not contain control characters");
        }
        return stripped;
    }
}
