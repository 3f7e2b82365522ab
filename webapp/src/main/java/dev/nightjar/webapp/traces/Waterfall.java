package dev.nightjar.webapp.traces;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.nightjar.core.telemetry.SpanId;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The trace as rows, one per span, indented by depth, each with a bar placed by start and length
 * relative to the whole trace. Spans on the critical path are marked. Plain divs with computed sizes;
 * every label is text.
 */
final class Waterfall extends Div {
    static final int MAX_ROWS = 2000;

    private Div selected;

    Waterfall(TraceTree tree, Set<SpanId> critical, Consumer<dev.nightjar.core.traces.Span> select) {
        setId("waterfall");
        getStyle().set("width", "100%").set("font-size", "0.85em");
        List<TraceTree.Row> rows = tree.rows();
        long start =
                rows.stream().mapToLong(r -> r.span().startTimeUnixNano()).min().orElse(0);
        long end =
                rows.stream().mapToLong(r -> r.span().endTimeUnixNano()).max().orElse(start);
        double total = Math.max(1, end - start);
        int shown = 0;
        for (TraceTree.Row row : rows) {
            if (shown++ == MAX_ROWS) {
                Span more = new Span((rows.size() - MAX_ROWS) + " more spans are not drawn.");
                more.addClassName("nj-muted");
                add(more);
                break;
            }
            add(row(row, critical.contains(row.span().spanId()), start, total, select));
        }
    }

    private Div row(
            TraceTree.Row row,
            boolean onCriticalPath,
            long traceStart,
            double total,
            Consumer<dev.nightjar.core.traces.Span> select) {
        dev.nightjar.core.traces.Span span = row.span();
        Div line = new Div();
        line.addClassName("nj-span-row");
        line.getElement().setAttribute("data-span-id", span.spanId().toHex());
        line.getStyle()
                .set("display", "flex")
                .set("align-items", "center")
                .set("cursor", "pointer")
                .set("border-bottom", "1px solid color-mix(in srgb, currentColor 8%, transparent)")
                .set("min-height", "1.8em");
        if (onCriticalPath) {
            line.addClassName("nj-critical");
        }

        Div label = new Div();
        label.getStyle()
                .set("width", "34%")
                .set("flex-shrink", "0")
                .set("overflow", "hidden")
                .set("white-space", "nowrap")
                .set("text-overflow", "ellipsis")
                .set("padding-left", Math.min(row.depth(), 30) * 0.9 + "em");
        Span service = new Span(span.serviceName() + " ");
        service.addClassName("nj-muted");
        Span name = new Span(span.name());
        name.addClassName("nj-span-name");
        if (span.isError()) {
            name.getStyle().set("color", "var(--lumo-error-text-color, #c00)");
        }
        label.add(service, name);

        Div track = new Div();
        track.getStyle().set("position", "relative").set("flex-grow", "1").set("height", "1.2em");
        double left = (span.startTimeUnixNano() - traceStart) / total * 100;
        double width = Math.max(0.3, span.durationNanos() / total * 100);
        Div bar = new Div();
        bar.addClassName("nj-span-bar");
        String colour = span.isError() ? "#dc2626" : onCriticalPath ? "#f59e0b" : "#3b82f6";
        bar.getStyle()
                .set("position", "absolute")
                .set("top", "0.15em")
                .set("height", "0.9em")
                .set("left", pct(Math.min(left, 99.7)))
                .set("width", pct(Math.min(width, 100 - Math.min(left, 99.7))))
                .set("background", colour)
                .set("border-radius", "2px");
        if (onCriticalPath) {
            bar.getStyle().set("outline", "2px solid #b45309");
        }
        Span duration = new Span(DurationText.format(Duration.ofNanos(span.durationNanos())));
        duration.getStyle()
                .set("position", "absolute")
                .set("left", pct(Math.min(left + width, 92)))
                .set("padding-left", "0.4em")
                .set("white-space", "nowrap");
        track.add(bar, duration);
        line.add(label, track);
        line.addClickListener(click -> {
            if (selected != null) {
                selected.removeClassName("nj-selected");
                selected.getStyle().remove("background");
            }
            selected = line;
            line.addClassName("nj-selected");
            line.getStyle().set("background", "color-mix(in srgb, currentColor 10%, transparent)");
            select.accept(span);
        });
        return line;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.3f%%", v);
    }
}
