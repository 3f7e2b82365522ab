package dev.nightjar.db.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "users")
class UserEntity {
    @Id
    UUID id;

    @Column(nullable = false)
    String username;

    @Column(name = "password_hash", nullable = false)
    String passwordHash;

    @Column(nullable = false)
    boolean disabled;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
