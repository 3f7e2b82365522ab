package dev.nightjar.auth;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Ends a dashboard session by expiring the login cookie. POST only, so a link cannot log people out. */
@ApplicationScoped
class LogoutRoute {
    private final String cookieName;

    LogoutRoute(
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential")
                    String cookieName) {
        this.cookieName = cookieName;
    }

    void register(@Observes Router router) {
        router.post("/logout").handler(context -> {
            context.response()
                    .addCookie(Cookie.cookie(cookieName, "").setPath("/").setMaxAge(0));
            context.response()
                    .putHeader("Location", "/login")
                    .setStatusCode(303)
                    .end();
        });
    }
}
