package dev.nightjar.webapp.shell;

import dev.nightjar.auth.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/**
 * The signed-in dashboard user for the request being handled. Reads the identity Quarkus established
 * from the login cookie on this very request, so the tenant always comes from the credential.
 */
@ApplicationScoped
public class DashboardSession {
    private final Instance<SecurityIdentity> identity;

    DashboardSession(Instance<SecurityIdentity> identity) {
        this.identity = identity;
    }

    public Optional<Caller> caller() {
        return Caller.of(identity.get());
    }

    public Caller require() {
        return caller().orElseThrow(() -> new IllegalStateException("not signed in"));
    }
}
