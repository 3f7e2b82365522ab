package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import java.util.Set;
import java.util.UUID;

/** The outcome of checking a presented key: whose it is and what it may do. */
public record VerifiedApiKey(UUID keyId, TenantId tenant, String displayPrefix, Set<Scope> scopes) {}
