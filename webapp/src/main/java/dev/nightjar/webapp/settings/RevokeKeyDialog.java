package dev.nightjar.webapp.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import dev.nightjar.db.identity.ApiKey;

/** Asks before revoking: senders using the key start failing at once. */
class RevokeKeyDialog extends Dialog {

    RevokeKeyDialog(ApiKey key, Runnable revoke) {
        setHeaderTitle("Revoke " + key.name() + "?");
        add(new Paragraph("Anything using this key (" + key.displayPrefix() + "…) is refused from now on."));
        Button cancel = new Button("Cancel", click -> close());
        Button confirm = new Button("Revoke", click -> {
            revoke.run();
            close();
        });
        confirm.setId("confirm-revoke");
        confirm.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
        getFooter().add(cancel, confirm);
    }
}
