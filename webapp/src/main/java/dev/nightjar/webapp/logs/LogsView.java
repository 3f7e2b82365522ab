package dev.nightjar.webapp.logs;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogram;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogPage;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.logs.ValueCount;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import dev.nightjar.webapp.shell.SendDataHint;
import dev.nightjar.webapp.time.TimeWindow;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Logs explorer: query box ({@link LogQueryParser} syntax) kept in the URL as {@code ?q=}, severity
 * histogram over the shared time window, lazily loaded results, facets, filter suggestions and live tail.
 */
@Route(value = "logs", layout = MainLayout.class)
public class LogsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    static final String QUERY = "q";
    private static final int PAGE = 100;
    private static final int TAIL_LIMIT = 500;
    private static final int TAIL_POLL_MS = 2000;

    private final DashboardSession session;
    private final Optional<LogReader> reader;
    private final TextField queryBox = new TextField();
    private final Span queryError = new Span();
    private final Checkbox liveTail = new Checkbox("Live tail");
    private final BackgroundQuery progress = new BackgroundQuery("log-query");
    private final SeverityHistogram histogram = new SeverityHistogram();
    private final Span summary = new Span();
    private final FacetPanel facets = new FacetPanel(this::addFilter);
    private final LogResultsGrid grid = new LogResultsGrid();
    private final VerticalLayout results = new VerticalLayout();
    private final FieldSuggest suggest;
    private TimeWindow window = TimeWindow.DEFAULT;
    private String query = "";
    private ParsedLogQuery parsed = ParsedLogQuery.EMPTY;
    private Registration tailPoll;

    @Inject
    public LogsView(DashboardSession session, LogStore store) {
        this.session = session;
        this.reader = store.reader();
        this.suggest = new FieldSuggest(this::topValues, this::addFilter);
        setPadding(true);
        setId("logs-view");
        add(new H2("Logs"));
        if (reader.isEmpty()) {
            Paragraph off = new Paragraph("Log storage is not available on this instance (it runs without the"
                    + " datastore role), so there is nothing to search here.");
            off.setId("storage-unavailable");
            add(off);
            return;
        }
        queryBox.setId("log-query");
        queryBox.setAriaLabel("Search logs");
        queryBox.setPlaceholder("words, \"a phrase\", service.name=checkout severity=error,warn trace_id=…");
        queryBox.setClearButtonVisible(true);
        queryBox.setMaxLength(LogQueryParser.MAX_QUERY_LENGTH);
        queryBox.getStyle().set("flex-grow", "1");
        Button search = new Button("Search", click -> submit(queryBox.getValue()));
        search.addClickShortcut(Key.ENTER).listenOn(queryBox);
        search.setId("log-search");
        search.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        liveTail.setId("live-tail");
        liveTail.addValueChangeListener(e -> setLiveTail(e.getValue()));
        HorizontalLayout bar = new HorizontalLayout(queryBox, search, liveTail);
        bar.setWidthFull();
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        queryError.setId("log-query-error");
        queryError.getStyle().set("color", "var(--lumo-error-text-color, #c00)");
        queryError.setVisible(false);
        summary.setId("log-summary");
        summary.addClassName("nj-muted");
        histogram.addZoomListener(zoom -> {
            if (zoom.end() > zoom.start()) {
                navigate(
                        query,
                        TimeWindow.absolute(Instant.ofEpochMilli(zoom.start()), Instant.ofEpochMilli(zoom.end())));
            }
        });
        HorizontalLayout body = new HorizontalLayout(facets, grid);
        body.setWidthFull();
        grid.getStyle().set("flex-grow", "1");
        results.setPadding(false);
        results.add(histogram, summary, body);
        add(bar, queryError, suggest, progress, results);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        QueryParameters params = event.getLocation().getQueryParameters();
        window = TimeWindow.fromQuery(params);
        query = params.getSingleParameter(QUERY).orElse("");
        if (reader.isPresent()) {
            queryBox.setValue(query);
            run();
        }
    }

    @Override
    public String getPageTitle() {
        return query.isBlank() ? "Logs · Nightjar" : FieldNames.abbreviate(query) + " · Logs · Nightjar";
    }

    /** Puts the query in the URL; navigation then runs it, so every search can be linked. */
    private void submit(String text) {
        String stripped = text == null ? "" : text.strip();
        if (stripped.equals(query)) {
            run(); // the router does not navigate to the URL already shown; the user still expects a fresh search
        } else {
            navigate(stripped, window);
        }
    }

    private void navigate(String text, TimeWindow target) {
        Map<String, String> params = new HashMap<>();
        target.toQuery().getParameters().forEach((k, v) -> params.put(k, v.get(0)));
        if (!text.isEmpty()) {
            params.put(QUERY, text);
        }
        UI.getCurrent().navigate("logs", QueryParameters.simple(params));
    }

    private void addFilter(String field, String value) {
        submit(LogQueryParser.withFilter(queryBox.getValue(), field, value));
    }

    private void run() {
        try {
            parsed = LogQueryParser.parse(query);
            queryError.setVisible(false);
            queryBox.setInvalid(false);
        } catch (LogQuerySyntaxException invalid) {
            showError(invalid.getMessage());
            return;
        }
        LogReader logs = reader.orElseThrow();
        TimeRange range = window.resolve(Instant.now());
        LogFilter filter;
        LogHistogramQuery histogramQuery;
        try {
            filter = parsed.toFilter(range);
            histogramQuery = new LogHistogramQuery(filter, SeverityHistogram.bucketFor(range));
        } catch (IllegalArgumentException invalid) {
            showError(invalid.getMessage());
            return;
        }
        TenantId tenant = session.require().tenant();
        progress.run(
                "Searching logs…",
                () -> new Answer(
                        logs.search(tenant, LogQuery.of(filter, PAGE)),
                        logs.histogram(tenant, histogramQuery),
                        Facets.load(logs, tenant, filter)),
                answer -> show(answer, filter, range),
                failure -> showError("The search failed: " + failure.getMessage()));
    }

    private record Answer(LogPage first, LogHistogram histogram, Map<String, List<ValueCount>> facets) {}

    private void show(Answer answer, LogFilter filter, TimeRange range) {
        results.removeAll();
        LogReader logs = reader.orElseThrow();
        LogQuery paging = LogQuery.of(filter, PAGE);
        // Later pages load as the grid scrolls, each a request of its own: the tenant is read again then.
        LogPages pages =
                new LogPages(cursor -> logs.search(session.require().tenant(), paging.after(cursor)), answer.first());
        grid.show(pages);
        if (answer.first().records().isEmpty() && !liveTail.getValue()) {
            if (query.isBlank()) {
                results.add(new SendDataHint("No logs in this time window."));
            } else {
                Paragraph none = new Paragraph("No log records match this query in the time window.");
                none.setId("no-log-results");
                results.add(none);
            }
            return;
        }
        histogram.show(answer.histogram(), range);
        facets.show(answer.facets());
        long total = answer.histogram().total();
        summary.setText(total + (total == 1 ? " record" : " records") + " in the window"
                + (total > LogPages.MAX_ROWS ? "; the list shows the newest " + LogPages.MAX_ROWS : "")
                + ". Click a row for its details; drag across the chart to zoom in.");
        HorizontalLayout body = new HorizontalLayout(facets, grid);
        body.setWidthFull();
        results.add(histogram, summary, body);
        suggest.setFields(keysSeen(pages));
    }

    private static java.util.Set<String> keysSeen(LogPages pages) {
        TreeSet<String> keys = new TreeSet<>();
        for (LogRow row : pages.fetched()) {
            keys.addAll(row.record().attributes().asMap().keySet());
            row.record().resource().attributes().asMap().keySet().forEach(keys::add);
            if (keys.size() > 200) {
                break;
            }
        }
        return keys;
    }

    private List<ValueCount> topValues(String field) {
        LogReader logs = reader.orElseThrow();
        LogFilter filter = parsed.toFilter(window.resolve(Instant.now()));
        return logs.topValues(session.require().tenant(), new TopValuesQuery(filter, FieldNames.resolve(field), 50));
    }

    private void showError(String message) {
        queryError.setText(message);
        queryError.setVisible(true);
        queryBox.setInvalid(true);
        queryBox.setErrorMessage(message);
    }

    private void setLiveTail(boolean on) {
        UI ui = UI.getCurrent();
        if (on && tailPoll == null) {
            tailPoll = ui.addPollListener(e -> tail());
            ui.setPollInterval(TAIL_POLL_MS);
        } else if (!on && tailPoll != null) {
            tailPoll.remove();
            tailPoll = null;
            ui.setPollInterval(progress.busy() ? ui.getPollInterval() : -1);
        }
    }

    /** Fetches records newer than the newest shown and puts them on top. */
    private void tail() {
        LogPages pages = grid.pages();
        if (progress.busy() || pages == null || reader.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        long newest = pages.newestTimeUnixNano();
        Instant from = newest == 0 ? window.resolve(now).start() : Timestamps.toInstant(newest + 1);
        Instant to = now.plus(Duration.ofSeconds(5)); // tolerate clocks slightly ahead of ours
        if (!from.isBefore(to)) {
            return;
        }
        LogPage newer = reader.orElseThrow()
                .search(session.require().tenant(), LogQuery.of(parsed.toFilter(new TimeRange(from, to)), TAIL_LIMIT));
        if (newer.records().isEmpty()) {
            return;
        }
        if (!grid.isAttached()) {
            run(); // the page showed the empty state: search again to show histogram, facets and grid
            return;
        }
        pages.prepend(newer.records());
        grid.refreshRows();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        if (Boolean.TRUE.equals(liveTail.getValue())) {
            setLiveTail(true);
        }
    }

    @Override
    protected void onDetach(DetachEvent event) {
        progress.cancel();
        if (tailPoll != null) {
            tailPoll.remove();
            tailPoll = null;
            event.getUI().setPollInterval(-1);
        }
        super.onDetach(event);
    }
}
