package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import java.time.Instant;

public record Tenant(TenantId id, String slug, String name, Instant createdAt) {}
