package dev.nightjar.server;

import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Switches roles off at run time: requests for a disabled role's paths get 404 before any handler runs,
 * so the same artifact can be deployed as separate ingest, query, UI, alerting and AI services.
 */
@ApplicationScoped
class RoleSwitch {
    private static final Logger LOG = Logger.getLogger(RoleSwitch.class);
    private static final int FIRST = -100;

    private final Set<ServerRole> enabled;

    RoleSwitch(@ConfigProperty(name = "nightjar.roles", defaultValue = "all") String roles) {
        this.enabled = ServerRole.parse(roles);
    }

    boolean enabled(ServerRole role) {
        return enabled.contains(role);
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("roles enabled: %s", enabled);
    }

    void register(@Observes Router router) {
        router.route().order(FIRST).handler(context -> {
            ServerRole role = ServerRole.forPath(context.normalizedPath());
            if (role == null || enabled.contains(role)) {
                context.next();
            } else {
                context.response()
                        .setStatusCode(404)
                        .putHeader("Content-Type", "text/plain")
                        .end("the " + role.name().toLowerCase(java.util.Locale.ROOT)
                                + " role is not enabled on this instance\n");
            }
        });
    }
}
