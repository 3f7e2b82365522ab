package dev.nightjar.auth;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * The verified {@link Caller} of the request being handled. Request-scoped and injected through a
 * proxy, so even a singleton resource sees the caller of the current request, never a previous one.
 */
@RequestScoped
public class CurrentCaller {
    private final SecurityIdentity identity;

    CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller; 401 when the request carries no verified credential. */
    public Caller get() {
        return Caller.of(identity).orElseThrow(() -> new UnauthorizedException("authentication required"));
    }
}
