package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/**
 * The sign-in page. The form posts natively to Quarkus' form authentication ({@code j_security_check}),
 * which checks the password, throttles guessing and sets the session cookie.
 */
@Route("login")
@PageTitle("Sign in · Nightjar")
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
    private final LoginForm form = new LoginForm();

    public LoginView() {
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle("Sign in");
        i18n.getErrorMessage().setTitle("Sign-in failed");
        i18n.getErrorMessage()
                .setMessage("Wrong username or password, or too many attempts. Check them and try again in a minute.");
        form.setI18n(i18n);
        form.setAction("j_security_check");
        form.setForgotPasswordButtonVisible(false);
        form.setId("login-form");

        add(new H1("Nightjar"), form, new Paragraph("First start printed the admin password in the server output."));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        form.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }
}
