package dev.nightjar.webapp.shell;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends anyone who is not signed in to the login page. Vaadin's own requests stay open at the HTTP
 * layer (the login page itself needs them); the check happens on every navigation instead.
 */
@ApplicationScoped
class AccessGuard {
    private final DashboardSession session;

    AccessGuard(DashboardSession session) {
        this.session = session;
    }

    void onServiceInit(@Observes ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(this::check));
    }

    private void check(BeforeEnterEvent event) {
        boolean toLogin = LoginView.class.equals(event.getNavigationTarget());
        boolean signedIn = session.caller().isPresent();
        if (!signedIn && !toLogin) {
            event.forwardTo(LoginView.class);
        } else if (signedIn && toLogin) {
            event.forwardTo("");
        }
    }
}
