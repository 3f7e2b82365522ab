package dev.nightjar.webapp.logs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.webapp.time.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The expanded record under a grid row: the whole body, every attribute and resource attribute, trace
 * and span ids with a link to the trace, and copy-as-JSON. Every value is set as text.
 */
final class LogRecordDetails extends VerticalLayout {

    LogRecordDetails(LogRecord record) {
        addClassName("nj-log-details");
        setPadding(false);
        setSpacing(false);
        Pre body = new Pre(record.bodyText());
        body.addClassName("nj-snippet");
        body.addClassName("nj-log-body");
        add(body);

        HorizontalLayout actions = new HorizontalLayout();
        String json = LogJson.of(record);
        Button copy = new Button(
                "Copy as JSON",
                click -> click.getSource()
                        .getElement()
                        .executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", json));
        copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
        copy.addClassName("nj-copy-json");
        copy.getElement().setAttribute("data-json-length", Integer.toString(json.length()));
        actions.add(copy);
        if (record.traceId() != null) {
            actions.add(traceLink(record));
        }
        add(actions);

        Div fields = new Div();
        fields.addClassName("nj-fields");
        fields.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "minmax(10em, max-content) 1fr")
                .set("gap", "0.15em 1em")
                .set("font-size", "0.9em")
                .set("width", "100%");
        fields.add(new H4("Record"), new Span());
        row(fields, "time", Timestamps.toInstant(record.effectiveTimeUnixNano()).toString());
        row(
                fields,
                "severity",
                record.severityLevel().name()
                        + (record.severityText().isEmpty() ? "" : " (" + record.severityText() + ")"));
        if (record.traceId() != null) {
            row(fields, "trace_id", record.traceId().toHex());
        }
        if (record.spanId() != null) {
            row(fields, "span_id", record.spanId().toHex());
        }
        if (!record.scope().name().isEmpty()) {
            row(
                    fields,
                    "scope.name",
                    record.scope().name() + " " + record.scope().version());
        }
        section(fields, "Attributes", record.attributes());
        section(fields, "Resource", record.resource().attributes());
        add(fields);
    }

    static Anchor traceLink(LogRecord record) {
        Instant at = Timestamps.toInstant(record.effectiveTimeUnixNano());
        TimeWindow around = TimeWindow.absolute(at.minus(Duration.ofHours(1)), at.plus(Duration.ofHours(1)));
        String href =
                "traces/" + record.traceId().toHex() + "?" + around.toQuery().getQueryString();
        Anchor link = new Anchor(href, "Open trace " + record.traceId().toHex().substring(0, 8) + "…");
        link.addClassName("nj-trace-link");
        return link;
    }

    private static void section(Div fields, String title, Attributes attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        fields.add(new H4(title), new Span());
        for (Map.Entry<String, AttributeValue> e : attributes.asMap().entrySet()) {
            row(fields, e.getKey(), e.getValue().asText());
        }
    }

    private static void row(Div fields, String key, String value) {
        Span k = new Span(key);
        k.addClassName("nj-field-key");
        k.getStyle().set("opacity", "0.75").set("overflow-wrap", "anywhere");
        Span v = new Span(value);
        v.addClassName("nj-field-value");
        v.getStyle()
                .set("white-space", "pre-wrap")
                .set("overflow-wrap", "anywhere")
                .set("font-family", "ui-monospace, monospace");
        fields.add(k, v);
    }
}
