package dev.nightjar.db.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "bootstrap_state")
class BootstrapStateEntity {
    static final short SINGLETON = 1;

    @Id
    short id;

    @Column(name = "tenant_id", nullable = false)
    UUID tenantId;

    @Column(name = "completed_at", nullable = false)
    Instant completedAt;
}
