package dev.nightjar.webapp.logs;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.Timestamps;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Search results: one row per record, loaded lazily from {@link LogPages} as the grid scrolls; clicking
 * a row expands it into {@link LogRecordDetails}. Cells are plain text.
 */
final class LogResultsGrid extends Grid<LogRow> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int MAX_CELL = 500;

    private LogPages pages;

    LogResultsGrid() {
        setId("log-results");
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        addColumn(row -> TIME.format(Timestamps.toInstant(row.record().effectiveTimeUnixNano())))
                .setHeader("Time (UTC)")
                .setAutoWidth(true)
                .setFlexGrow(0);
        addComponentColumn(row -> severityBadge(row.record()))
                .setHeader("Severity")
                .setAutoWidth(true)
                .setFlexGrow(0);
        addColumn(row -> row.record().resource().serviceName())
                .setHeader("Service")
                .setAutoWidth(true)
                .setFlexGrow(0);
        addColumn(row -> cell(row.record().bodyText())).setHeader("Message").setFlexGrow(1);
        setItemDetailsRenderer(new ComponentRenderer<>(row -> new LogRecordDetails(row.record())));
        setDetailsVisibleOnClick(true);
        setHeight("32em");
    }

    /** Shows a new search; earlier rows and their fetches are dropped. */
    void show(LogPages pages) {
        this.pages = pages;
        setItems(query -> pages.rows(query.getOffset(), query.getLimit()).stream());
    }

    LogPages pages() {
        return pages;
    }

    /** Redraws after live tail added rows in front. */
    void refreshRows() {
        getDataProvider().refreshAll();
    }

    private static Span severityBadge(LogRecord record) {
        String text = record.severityText().isEmpty() ? record.severityLevel().name() : cell(record.severityText());
        Span badge = new Span(text);
        badge.getElement().getThemeList().add("badge");
        switch (record.severityLevel()) {
            case ERROR, FATAL -> badge.getElement().getThemeList().add("error");
            case WARN -> badge.getElement().getThemeList().add("warning");
            case INFO -> badge.getElement().getThemeList().add("contrast");
            default -> {}
        }
        badge.addClassName("nj-severity");
        return badge;
    }

    /** One line of a long text; the full text is in the expanded record. */
    private static String cell(String text) {
        String line = text.length() > MAX_CELL ? text.substring(0, MAX_CELL) + "…" : text;
        return line.replace('\n', ' ').replace('\r', ' ');
    }
}
