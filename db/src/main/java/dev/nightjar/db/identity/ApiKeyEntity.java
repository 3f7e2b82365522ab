package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

@Entity
@Table(name = "api_keys")
class ApiKeyEntity {
    @Id
    UUID id;

    @Column(name = "tenant_id", nullable = false)
    UUID tenantId;

    @Column(nullable = false)
    String name;

    @Column(name = "display_prefix", nullable = false)
    String displayPrefix;

    @Column(name = "key_hash", nullable = false)
    byte[] keyHash;

    @Column(nullable = false)
    String[] scopes;

    @Column(name = "created_by")
    UUID createdBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    EnumSet<Scope> scopeSet() {
        return Arrays.stream(scopes)
                .map(Scope::parse)
                .flatMap(Optional::stream)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
    }

    ApiKey toValue() {
        return new ApiKey(
                id,
                TenantId.of(tenantId),
                name,
                displayPrefix,
                scopeSet(),
                createdAt,
                Optional.ofNullable(lastUsedAt),
                Optional.ofNullable(revokedAt));
    }
}
