package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.server.VaadinRequest;

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
                new Span("Point any OpenTelemetry SDK or Collector at Nightjar (OTLP/HTTP; the dedicated OTLP ports"
                        + " 4318 and gRPC 4317 take logs and traces):"),
                code,
                copy,
                new Anchor("settings/api-keys", "Create an ingest key under Settings → API keys"));
    }

    /**
     * The main port serves every OTLP/HTTP signal under {@code /v1/} (logs, traces and metrics), so the
     * address this page was loaded from is the one endpoint that works for all of them.
     */
    static String otlpEndpoint() {
        String host = "localhost:8080";
        VaadinRequest request = VaadinRequest.getCurrent();
        if (request != null && request.getHeader("Host") != null) {
            host = request.getHeader("Host");
        }
        if (!host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,260}")) {
            host = "localhost:8080";
        }
        return "http://" + host;
    }
}
