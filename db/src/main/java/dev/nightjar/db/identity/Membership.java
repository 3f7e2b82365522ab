package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;

public record Membership(TenantId tenant, Role role) {}
