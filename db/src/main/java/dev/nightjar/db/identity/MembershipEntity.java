package dev.nightjar.db.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "memberships")
@IdClass(MembershipEntity.Key.class)
class MembershipEntity {
    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Id
    @Column(name = "user_id")
    UUID userId;

    @Column(nullable = false)
    String role;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    record Key(UUID tenantId, UUID userId) implements Serializable {}
}
