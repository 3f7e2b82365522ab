package dev.nightjar.webapp.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.auth.Caller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.db.identity.ApiKey;
import dev.nightjar.db.identity.ApiKeys;
import dev.nightjar.db.identity.IssuedApiKey;
import dev.nightjar.db.identity.Scope;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Settings → API keys: list the tenant's keys, create one (its secret is shown once), revoke one. */
@Route(value = "settings/api-keys", layout = MainLayout.class)
@PageTitle("API keys · Settings · Nightjar")
public class ApiKeysView extends VerticalLayout {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ApiKeys apiKeys;
    private final DashboardSession session;
    private final Grid<ApiKey> grid = new Grid<>();

    @Inject
    public ApiKeysView(ApiKeys apiKeys, DashboardSession session) {
        this.apiKeys = apiKeys;
        this.session = session;
        setPadding(true);
        add(new H2("API keys"));
        Caller caller = session.require();
        if (!caller.may(Permissions.ADMIN)) {
            add(new Paragraph("Only tenant admins manage API keys."));
            return;
        }
        add(new Paragraph("Keys authenticate OpenTelemetry exporters (scope ingest), API and Grafana queries"
                + " (read) and administration (admin). A key's secret is shown once, when it is created."));
        add(createForm(), buildGrid());
        refresh();
    }

    private HorizontalLayout createForm() {
        TextField name = new TextField("Name");
        name.setId("key-name");
        name.setMaxLength(100);
        name.setPlaceholder("e.g. payments collector");
        CheckboxGroup<Scope> scopes = new CheckboxGroup<>("Scopes");
        scopes.setId("key-scopes");
        scopes.setItems(Scope.values());
        scopes.setItemLabelGenerator(Scope::value);
        scopes.setValue(EnumSet.of(Scope.INGEST));
        Button create = new Button("Create key", click -> create(name, scopes));
        create.setId("create-key");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, scopes, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return form;
    }

    private Grid<ApiKey> buildGrid() {
        grid.setId("api-keys");
        grid.addColumn(ApiKey::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(ApiKey::displayPrefix).setHeader("Starts with").setAutoWidth(true);
        grid.addColumn(k -> k.scopes().stream().map(Scope::value).collect(Collectors.joining(", ")))
                .setHeader("Scopes");
        grid.addColumn(k -> TIME.format(k.createdAt())).setHeader("Created");
        grid.addColumn(k -> k.lastUsedAt().map(TIME::format).orElse("never")).setHeader("Last used");
        grid.addColumn(k -> k.revoked() ? "revoked" : "active").setHeader("Status");
        grid.addComponentColumn(this::revokeButton).setHeader("");
        grid.setAllRowsVisible(true);
        return grid;
    }

    private Button revokeButton(ApiKey key) {
        Button revoke = new Button("Revoke", click -> confirmRevoke(key));
        revoke.setId("revoke-" + key.id());
        revoke.getElement().setAttribute("data-key-prefix", key.displayPrefix());
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        revoke.setEnabled(!key.revoked());
        return revoke;
    }

    private void create(TextField name, CheckboxGroup<Scope> scopes) {
        try {
            IssuedApiKey issued =
                    apiKeys.create(session.require().tenant(), name.getValue(), scopes.getValue(), Optional.empty());
            new NewKeyDialog(issued).open();
            name.clear();
            refresh();
        } catch (IllegalArgumentException invalid) {
            Notification.show(invalid.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    private void confirmRevoke(ApiKey key) {
        new RevokeKeyDialog(key, () -> {
                    apiKeys.revoke(session.require().tenant(), key.id());
                    Notification.show("Revoked " + key.name());
                    refresh();
                })
                .open();
    }

    private void refresh() {
        grid.setItems(apiKeys.list(session.require().tenant()));
    }
}
