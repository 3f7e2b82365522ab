package dev.nightjar.webapp.traces;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.traces.Operation;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.webapp.logs.BackgroundQuery;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import dev.nightjar.webapp.shell.SendDataHint;
import dev.nightjar.webapp.time.TimeWindow;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Traces explorer: search form (kept in the URL), duration scatter plot and the list of found traces. */
@Route(value = "traces", layout = MainLayout.class)
public class TracesView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    private final DashboardSession session;
    private final Optional<SpanReader> reader;
    private final BackgroundQuery progress = new BackgroundQuery("trace-query");
    private final Span error = new Span();
    private final VerticalLayout results = new VerticalLayout();
    private final DurationScatter scatter = new DurationScatter();
    private final TraceResultsGrid grid = new TraceResultsGrid(this::open);
    private final TraceSearchForm form;
    private TimeWindow window = TimeWindow.DEFAULT;
    private TraceCriteria criteria = TraceCriteria.ANY;

    @Inject
    public TracesView(DashboardSession session, SpanStore store) {
        this.session = session;
        this.reader = store.reader();
        this.form = new TraceSearchForm(this::operations, this::submit);
        setPadding(true);
        setId("traces-view");
        add(new H2("Traces"));
        if (reader.isEmpty()) {
            Paragraph off = new Paragraph("Trace storage is not available on this instance (it runs without the"
                    + " datastore role), so there is nothing to search here.");
            off.setId("storage-unavailable");
            add(off);
            return;
        }
        error.setId("trace-query-error");
        error.getStyle().set("color", "var(--lumo-error-text-color, #c00)");
        error.setVisible(false);
        results.setPadding(false);
        scatter.addClickListener(click -> {
            if (click.name().matches("[0-9a-f]{32}")) {
                navigateToTrace(click.name());
            }
        });
        add(form, error, progress, results);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        QueryParameters params = event.getLocation().getQueryParameters();
        window = TimeWindow.fromQuery(params);
        criteria = TraceCriteria.fromQuery(params);
        if (reader.isEmpty()) {
            return;
        }
        TimeRange range = window.resolve(Instant.now());
        try {
            form.setServices(reader.get().services(session.require().tenant(), range));
        } catch (IllegalArgumentException invalid) {
            showError(invalid.getMessage());
            return;
        }
        form.show(criteria);
        run(range);
    }

    @Override
    public String getPageTitle() {
        return criteria.service().isEmpty() ? "Traces · Nightjar" : criteria.service() + " · Traces · Nightjar";
    }

    private List<Operation> operations(String service) {
        return reader.orElseThrow().operations(session.require().tenant(), service, window.resolve(Instant.now()));
    }

    private void submit(TraceCriteria next) {
        Map<String, String> params = new HashMap<>();
        window.toQuery().getParameters().forEach((k, v) -> params.put(k, v.get(0)));
        next.putInto(params);
        boolean same = next.equals(criteria);
        UI.getCurrent().navigate("traces", QueryParameters.simple(params));
        if (same) {
            run(window.resolve(Instant.now()));
        }
    }

    private void run(TimeRange range) {
        SpanQuery query;
        try {
            query = criteria.toSpanQuery(range);
            error.setVisible(false);
        } catch (IllegalArgumentException invalid) {
            showError(invalid.getMessage());
            return;
        }
        SpanReader spans = reader.orElseThrow();
        TenantId tenant = session.require().tenant();
        progress.run(
                "Searching traces…",
                () -> TraceSearch.run(spans, tenant, query),
                found -> show(found, range),
                failure -> showError("The search failed: " + failure.getMessage()));
    }

    private void show(List<TraceSummary> found, TimeRange range) {
        results.removeAll();
        if (found.isEmpty()) {
            if (criteria.equals(TraceCriteria.ANY)) {
                results.add(new SendDataHint("No traces in this time window."));
            } else {
                Paragraph none = new Paragraph("No traces match this search in the time window.");
                none.setId("no-trace-results");
                results.add(none);
            }
            return;
        }
        scatter.show(found, range);
        grid.setItems(found);
        Span note = new Span(found.size() + (found.size() == 1 ? " trace" : " traces")
                + (found.size() == TraceSearch.MAX_TRACES ? " (the newest " + TraceSearch.MAX_TRACES + ")" : "")
                + ". Click a point or a row to open a trace.");
        note.addClassName("nj-muted");
        results.add(scatter, note, grid);
    }

    private void open(TraceSummary trace) {
        navigateToTrace(trace.traceId().toHex());
    }

    private void navigateToTrace(String traceId) {
        UI.getCurrent().navigate("traces/" + traceId, window.toQuery());
    }

    private void showError(String message) {
        error.setText(message);
        error.setVisible(true);
    }
}
