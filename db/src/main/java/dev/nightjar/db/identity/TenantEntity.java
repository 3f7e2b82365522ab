package dev.nightjar.db.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "tenants")
class TenantEntity {
    @Id
    UUID id;

    @Column(nullable = false)
    String slug;

    @Column(nullable = false)
    String name;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    Tenant toValue() {
        return new Tenant(dev.nightjar.core.TenantId.of(id), slug, name, createdAt);
    }
}
