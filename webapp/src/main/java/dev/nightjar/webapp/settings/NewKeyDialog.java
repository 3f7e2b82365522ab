package dev.nightjar.webapp.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import dev.nightjar.db.identity.IssuedApiKey;

/** Shows a new key's secret, the one time it exists outside the sender's configuration. */
class NewKeyDialog extends Dialog {

    NewKeyDialog(IssuedApiKey issued) {
        setHeaderTitle("Key created: " + issued.key().name());
        TextField secret = new TextField("Secret");
        secret.setId("new-key-secret");
        secret.setValue(issued.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        Button copy = new Button(
                "Copy",
                click -> secret.getElement()
                        .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", issued.secret()));
        copy.setId("copy-key-secret");
        add(
                new Paragraph("Copy it now: it is shown only once and cannot be recovered."),
                secret,
                new Paragraph("Use it as: Authorization: Bearer <secret>"));
        Button done = new Button("Done", click -> close());
        done.setId("close-key-dialog");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(copy, done);
        setWidth("36em");
    }
}
