package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.server.VaadinRequest;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The empty state of every explorer: how to send data here, with the OTLP endpoint of this server and
 * a snippet to copy. Keys are never shown (only their hashes are stored); it points to where to make one.
 */
public class SendDataHint extends VerticalLayout {

    public SendDataHint(String whatIsMissing) {
        setId("send-data-hint");
        setPadding(false);
        String snippet = "export OTEL_EXPORTER_OTLP_ENDPOINT=" + otlpEndpoint() + "\n"
                + "export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <an API key with scope ingest>\"";
        Pre code = new Pre(snippet);
        code.setId("send-data-snippet");
        code.addClassName("nj-snippet");
        Button copy = new Button(
                "Copy",
                click -> code.getElement()
                        .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", snippet));
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
        copy.setId("copy-send-data-snippet");
        add(
                new Paragraph(whatIsMissing),
                new Span("Point any OpenTelemetry SDK or Collector at Nightjar:"),
                code,
                copy,
                new Anchor("settings/api-keys", "Create an ingest key under Settings → API keys"));
    }

    static String otlpEndpoint() {
        int port = ConfigProvider.getConfig()
                .getOptionalValue("nightjar.otlp.http-port", Integer.class)
                .orElse(4318);
        String host = "localhost";
        VaadinRequest request = VaadinRequest.getCurrent();
        if (request != null && request.getHeader("Host") != null) {
            host = request.getHeader("Host").replaceFirst(":\\d+$", "");
        }
        if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,253}")) {
            host = "localhost";
        }
        return "http://" + host + ":" + port;
    }
}
