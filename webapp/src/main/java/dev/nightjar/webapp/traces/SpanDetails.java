package dev.nightjar.webapp.traces;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.traces.SpanEvent;
import dev.nightjar.core.traces.SpanLink;
import java.time.Duration;
import java.util.Map;

/** One span in full: timing, status (with its message), attributes, resource, events and links, as text. */
final class SpanDetails extends VerticalLayout {

    SpanDetails(dev.nightjar.core.traces.Span span, boolean onCriticalPath) {
        setId("span-details");
        getElement().setAttribute("data-span-id", span.spanId().toHex());
        getElement().setAttribute("data-critical", Boolean.toString(onCriticalPath));
        setPadding(false);
        setSpacing(false);
        add(new H3(span.name()));
        Div fields = grid();
        row(fields, "service", span.serviceName());
        row(fields, "span_id", span.spanId().toHex());
        row(
                fields,
                "parent",
                span.parentSpanId() == null ? "(root)" : span.parentSpanId().toHex());
        row(fields, "kind", span.kind().name());
        row(fields, "start", Timestamps.toInstant(span.startTimeUnixNano()).toString());
        row(fields, "duration", DurationText.format(Duration.ofNanos(span.durationNanos())));
        row(
                fields,
                "status",
                span.status().code().name()
                        + (span.status().message().isEmpty()
                                ? ""
                                : ": " + span.status().message()));
        row(fields, "critical path", onCriticalPath ? "yes" : "no");
        add(fields);
        section("Attributes", span.attributes());
        section("Resource", span.resource().attributes());
        if (!span.events().isEmpty()) {
            add(new H4("Events"));
            Div events = grid();
            events.setId("span-events");
            for (SpanEvent event : span.events()) {
                String at = event.timeUnixNano() > 0
                        ? "+"
                                + DurationText.format(
                                        Duration.ofNanos(Math.max(0, event.timeUnixNano() - span.startTimeUnixNano())))
                        : "";
                row(events, at, event.name());
                for (Map.Entry<String, AttributeValue> e :
                        event.attributes().asMap().entrySet()) {
                    row(events, "  " + e.getKey(), e.getValue().asText());
                }
            }
            add(events);
        }
        if (!span.links().isEmpty()) {
            add(new H4("Links"));
            Div links = grid();
            for (SpanLink link : span.links()) {
                row(
                        links,
                        "trace " + link.traceId().toHex(),
                        "span " + link.spanId().toHex());
            }
            add(links);
        }
    }

    private void section(String title, Attributes attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        add(new H4(title));
        Div fields = grid();
        fields.addClassName("nj-span-" + title.toLowerCase(java.util.Locale.ROOT));
        attributes.asMap().forEach((k, v) -> row(fields, k, v.asText()));
        add(fields);
    }

    private static Div grid() {
        Div fields = new Div();
        fields.getStyle()
                .set("display", "grid")
                .set("grid-template-columns", "minmax(10em, max-content) 1fr")
                .set("gap", "0.15em 1em")
                .set("font-size", "0.9em")
                .set("width", "100%");
        return fields;
    }

    private static void row(Div fields, String key, String value) {
        Span k = new Span(key);
        k.getStyle().set("opacity", "0.75").set("overflow-wrap", "anywhere").set("white-space", "pre");
        Span v = new Span(value);
        v.addClassName("nj-field-value");
        v.getStyle()
                .set("white-space", "pre-wrap")
                .set("overflow-wrap", "anywhere")
                .set("font-family", "ui-monospace, monospace");
        fields.add(k, v);
    }
}
