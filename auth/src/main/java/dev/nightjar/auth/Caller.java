package dev.nightjar.auth;

import dev.nightjar.core.TenantId;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as established from a verified credential: the only source of a request's tenant.
 *
 * @param permissions the identity's roles: API-key scopes ({@code ingest}, {@code read}, {@code admin})
 *     or, for dashboard users, the permissions their membership role grants.
 */
public record Caller(TenantId tenant, String subject, Kind kind, Set<String> permissions) {
    static final String TENANT_ATTRIBUTE = "nightjar.tenant";
    static final String KIND_ATTRIBUTE = "nightjar.caller-kind";

    public enum Kind {
        API_KEY,
        USER
    }

    public boolean may(String permission) {
        return permissions.contains(permission);
    }

    /** The caller behind an identity; empty for anonymous identities or ones without a tenant. */
    public static Optional<Caller> of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        Object tenant = identity.getAttribute(TENANT_ATTRIBUTE);
        Object kind = identity.getAttribute(KIND_ATTRIBUTE);
        if (!(tenant instanceof TenantId tenantId) || !(kind instanceof Kind callerKind)) {
            return Optional.empty();
        }
        return Optional.of(
                new Caller(tenantId, identity.getPrincipal().getName(), callerKind, Set.copyOf(identity.getRoles())));
    }
}
