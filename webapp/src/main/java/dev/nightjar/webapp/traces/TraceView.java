package dev.nightjar.webapp.traces;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.webapp.logs.BackgroundQuery;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import dev.nightjar.webapp.time.TimeWindow;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One trace: summary, waterfall with the critical path marked, details of the selected span, and a link
 * to the trace's logs.
 */
@Route(value = "traces/:traceId", layout = MainLayout.class)
public class TraceView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    /** Logs are searched this far around the trace, as log and span clocks rarely agree exactly. */
    private static final Duration LOG_MARGIN = Duration.ofMinutes(15);

    private final DashboardSession session;
    private final Optional<SpanReader> reader;
    private final BackgroundQuery progress = new BackgroundQuery("trace-load");
    private final VerticalLayout content = new VerticalLayout();
    private final Anchor back = new Anchor("traces", "← Traces");
    private String traceId = "";

    @Inject
    public TraceView(DashboardSession session, SpanStore store) {
        this.session = session;
        this.reader = store.reader();
        setPadding(true);
        setId("trace-view");
        content.setPadding(false);
        back.setId("back-to-traces");
        add(back, progress, content);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String raw = event.getRouteParameters().get("traceId").orElse("");
        // Back to the search in the same time window the user came from.
        back.setHref("traces?"
                + TimeWindow.fromQuery(event.getLocation().getQueryParameters())
                        .toQuery()
                        .getQueryString());
        content.removeAll();
        if (reader.isEmpty()) {
            content.add(message("Trace storage is not available on this instance."));
            return;
        }
        TraceId id;
        try {
            id = TraceId.fromHex(raw);
        } catch (IllegalArgumentException invalid) {
            traceId = "";
            content.add(message("A trace id is 32 hexadecimal digits."));
            return;
        }
        traceId = id.toHex();
        SpanReader spans = reader.get();
        TenantId tenant = session.require().tenant();
        progress.run(
                "Loading trace…",
                () -> spans.getTrace(tenant, id),
                found -> show(id, found),
                failure -> content.add(message("Loading the trace failed: " + failure.getMessage())));
    }

    @Override
    public String getPageTitle() {
        return traceId.isEmpty() ? "Trace · Nightjar" : "Trace " + traceId.substring(0, 8) + " · Traces · Nightjar";
    }

    private void show(TraceId id, List<dev.nightjar.core.traces.Span> spans) {
        content.removeAll();
        if (spans.isEmpty()) {
            content.add(new H2("Trace " + id.toHex()), message("No spans of this trace are stored for your tenant."));
            return;
        }
        TraceTree tree = new TraceTree(spans);
        List<dev.nightjar.core.traces.Span> path = CriticalPath.of(tree);
        Set<SpanId> critical = CriticalPath.ids(path);
        TraceSummary summary = TraceSummary.of(id, spans);
        H2 title = new H2(summary.service() + ": " + summary.rootOperation());
        title.setId("trace-title");
        Span facts = new Span(id.toHex() + " · " + summary.start() + " · " + DurationText.format(summary.duration())
                + " · " + count(summary.spans(), "span") + " · " + count(summary.errors(), "error")
                + " · critical path (outlined): " + count(path.size(), "span"));
        facts.addClassName("nj-muted");
        facts.setId("trace-facts");
        VerticalLayout details = new VerticalLayout();
        details.setPadding(false);
        details.setId("span-details-slot");
        Waterfall waterfall = new Waterfall(tree, critical, span -> {
            details.removeAll();
            details.add(new SpanDetails(span, critical.contains(span.spanId())));
        });
        details.add(new SpanDetails(tree.primaryRoot(), true));
        content.add(new HorizontalLayout(title), facts, logsLink(summary), waterfall, details);
    }

    private static Anchor logsLink(TraceSummary summary) {
        TimeWindow around = TimeWindow.absolute(
                summary.start().minus(LOG_MARGIN),
                summary.start().plus(summary.duration()).plus(LOG_MARGIN));
        Map<String, String> params = new java.util.HashMap<>();
        around.toQuery().getParameters().forEach((k, v) -> params.put(k, v.get(0)));
        params.put("q", "trace_id=" + summary.traceId().toHex());
        Anchor link = new Anchor("logs?" + QueryParameters.simple(params).getQueryString(), "Logs of this trace");
        link.setId("trace-logs-link");
        return link;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static Paragraph message(String text) {
        Paragraph p = new Paragraph(text);
        p.setId("trace-message");
        return p;
    }
}
