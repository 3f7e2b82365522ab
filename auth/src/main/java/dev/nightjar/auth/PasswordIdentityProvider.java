package dev.nightjar.auth;

import dev.nightjar.db.identity.Users;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Dashboard login with a local username and password, throttled per user and per client address. */
@ApplicationScoped
class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private static final Logger LOG = Logger.getLogger(PasswordIdentityProvider.class);

    private final Users users;
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());

    PasswordIdentityProvider(Users users) {
        this.users = users;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        String username = request.getUsername();
        String address = clientAddress(request);
        if (!throttle.allowed(username, address)) {
            LOG.warnf("login throttled for a user from %s", address);
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("too many failed logins; wait and retry"));
        }
        PasswordCredential credential = request.getPassword();
        String password = new String(credential.getPassword());
        return context.runBlocking(() -> {
            var account = users.authenticate(username, password);
            if (account.isEmpty()) {
                throttle.failed(username, address);
                throw new AuthenticationFailedException("wrong username or password");
            }
            throttle.succeeded(username, address);
            return UserIdentities.identity(account.get());
        });
    }

    private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
        RoutingContext context = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (context == null || context.request().remoteAddress() == null) {
            return "unknown";
        }
        return context.request().remoteAddress().hostAddress();
    }
}
