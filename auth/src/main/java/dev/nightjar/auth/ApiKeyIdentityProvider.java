package dev.nightjar.auth;

import dev.nightjar.db.identity.ApiKeys;
import dev.nightjar.db.identity.VerifiedApiKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {
    private final ApiKeys apiKeys;

    ApiKeyIdentityProvider(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        // A key verified moments ago is answered on the calling (event-loop) thread: no hand-off to a
        // worker and no database transaction per request. Revocation evicts the cache entry, so a revoked
        // key falls through to the database check below, exactly as before.
        Optional<VerifiedApiKey> known = apiKeys.cached(request.key());
        if (known.isPresent()) {
            return Uni.createFrom().item(identity(known.get()));
        }
        return context.runBlocking(() -> apiKeys.verify(request.key())
                .map(ApiKeyIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API key")));
    }

    static SecurityIdentity identity(VerifiedApiKey key) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("key:" + key.displayPrefix()))
                .addRoles(Permissions.of(key.scopes()))
                .addAttribute(Caller.TENANT_ATTRIBUTE, key.tenant())
                .addAttribute(Caller.KIND_ATTRIBUTE, Caller.Kind.API_KEY)
                .build();
    }
}
