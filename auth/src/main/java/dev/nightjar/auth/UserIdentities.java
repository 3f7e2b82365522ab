package dev.nightjar.auth;

import dev.nightjar.db.identity.Membership;
import dev.nightjar.db.identity.UserAccount;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

final class UserIdentities {
    private UserIdentities() {}

    static SecurityIdentity identity(UserAccount account) {
        Membership membership = account.primaryMembership()
                .orElseThrow(() -> new AuthenticationFailedException("user belongs to no tenant"));
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.username()))
                .addRoles(Permissions.of(membership.role()))
                .addAttribute(Caller.TENANT_ATTRIBUTE, membership.tenant())
                .addAttribute(Caller.KIND_ATTRIBUTE, Caller.Kind.USER)
                .build();
    }
}
