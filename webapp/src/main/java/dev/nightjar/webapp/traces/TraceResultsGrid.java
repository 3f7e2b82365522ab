package dev.nightjar.webapp.traces;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Consumer;

/** Found traces: start, service, root operation, duration, spans, errors; a click opens the trace. */
final class TraceResultsGrid extends Grid<TraceSummary> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    TraceResultsGrid(Consumer<TraceSummary> open) {
        setId("trace-results");
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        addColumn(t -> TIME.format(t.start()))
                .setHeader("Start (UTC)")
                .setAutoWidth(true)
                .setComparator(TraceSummary::start)
                .setSortable(true);
        addColumn(TraceSummary::service).setHeader("Service").setAutoWidth(true).setSortable(true);
        addColumn(TraceSummary::rootOperation)
                .setHeader("Root operation")
                .setFlexGrow(1)
                .setSortable(true);
        addColumn(t -> DurationText.format(t.duration()))
                .setHeader("Duration")
                .setAutoWidth(true)
                .setComparator(Comparator.comparing(TraceSummary::duration))
                .setSortable(true);
        addColumn(TraceSummary::spans).setHeader("Spans").setAutoWidth(true).setSortable(true);
        addComponentColumn(t -> {
                    Span badge = new Span(t.errors() > 0 ? t.errors() + " error" + (t.errors() > 1 ? "s" : "") : "");
                    if (t.errors() > 0) {
                        badge.getElement().getThemeList().add("badge error");
                    }
                    return badge;
                })
                .setHeader("Errors")
                .setAutoWidth(true);
        addItemClickListener(click -> open.accept(click.getItem()));
        setAllRowsVisible(true);
    }
}
