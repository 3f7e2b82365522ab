package dev.nightjar.auth;

import dev.nightjar.db.identity.Users;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Re-establishes a dashboard session from the login cookie. The user is looked up again on each
 * request, so disabling a user or changing their role takes effect at once.
 */
@ApplicationScoped
class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {
    private final Users users;

    SessionIdentityProvider(Users users) {
        this.users = users;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> users.findEnabled(request.getPrincipal())
                .map(UserIdentities::identity)
                .orElseThrow(() -> new AuthenticationFailedException("session user no longer exists")));
    }
}
