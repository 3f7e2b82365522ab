package dev.nightjar.webapp.overview;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.core.traces.SpanReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.webapp.shell.BackgroundQueries;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import dev.nightjar.webapp.shell.SendDataHint;
import dev.nightjar.webapp.time.TimeWindow;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Locale;

/** Overview: every service with its rate, errors and p95, colored by health, and recent problems. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Overview · Nightjar")
public class OverviewView extends VerticalLayout implements BeforeEnterObserver {
    private final DashboardSession session;
    private final BackgroundQueries background;
    private final SpanReader spans;
    private final PromqlEngine engine;
    private final MetricsReader metrics;
    private final Grid<ServiceHealth> services = new Grid<>();
    private final UnorderedList problems = new UnorderedList();
    private final VerticalLayout content = new VerticalLayout();
    private final HorizontalLayout progress = new HorizontalLayout();
    private TimeWindow window = TimeWindow.DEFAULT;
    private BackgroundQueries.Running running;

    @Inject
    public OverviewView(
            DashboardSession session,
            BackgroundQueries background,
            Instance<SpanReader> spans,
            Instance<PromqlEngine> engine,
            Instance<MetricsReader> metrics) {
        this.session = session;
        this.background = background;
        this.spans = spans.isResolvable() ? spans.get() : null;
        this.engine = engine.isResolvable() ? engine.get() : null;
        this.metrics = metrics.isResolvable() ? metrics.get() : null;
        setPadding(true);
        add(new H2("Overview"));

        ProgressBar bar = new ProgressBar();
        bar.setIndeterminate(true);
        bar.setWidth("10em");
        Button cancel = new Button("Cancel", click -> cancel());
        cancel.setId("overview-cancel");
        progress.add(new Span("Loading…"), bar, cancel);
        progress.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        progress.setVisible(false);

        services.setId("overview-services");
        services.addComponentColumn(OverviewView::healthDot)
                .setHeader("")
                .setWidth("3em")
                .setFlexGrow(0);
        services.addComponentColumn(this::serviceLink)
                .setHeader("Service")
                .setFlexGrow(2)
                .setSortable(false);
        services.addColumn(s -> String.format(Locale.ROOT, "%.2f/s", s.red().ratePerSecond()))
                .setHeader("Rate")
                .setComparator(s -> s.red().ratePerSecond());
        services.addColumn(
                        s -> String.format(Locale.ROOT, "%.2f%%", 100 * s.red().errorRatio()))
                .setHeader("Errors")
                .setComparator(s -> s.red().errorRatio());
        services.addColumn(s -> ServiceHealth.formatDuration(s.red().p95()))
                .setHeader("p95")
                .setComparator(s -> s.red().p95());
        services.addComponentColumn(s -> new Sparkline(s.ratePerBucket())).setHeader("Requests");
        services.setAllRowsVisible(true);
        problems.setId("overview-problems");
        content.setPadding(false);
        add(progress, content);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        window = TimeWindow.fromQuery(event.getLocation().getQueryParameters());
        TenantId tenant = session.require().tenant();
        TimeRange range = window.resolve(Instant.now());
        progress.setVisible(true);
        running = background.run(
                UI.getCurrent(), () -> OverviewData.load(tenant, range, spans, engine, metrics), this::show, error -> {
                    progress.setVisible(false);
                    content.removeAll();
                    content.add(new Paragraph("The overview could not be loaded: " + error.getMessage()));
                });
    }

    private void show(OverviewData.Snapshot snapshot) {
        progress.setVisible(false);
        content.removeAll();
        if (snapshot.empty()) {
            content.add(new SendDataHint("No services or problems in this time range yet."));
            return;
        }
        content.add(new H3("Services"));
        if (snapshot.services().isEmpty()) {
            content.add(new Paragraph("No traced services in this time range."));
        } else {
            services.setItems(snapshot.services());
            content.add(services);
        }
        content.add(new H3("Recent problems"));
        problems.removeAll();
        if (snapshot.problems().isEmpty()) {
            content.add(new Paragraph("None in this time range."));
        } else {
            for (Problem problem : snapshot.problems()) {
                Span kind = new Span(problem.kind().label + ": ");
                kind.getStyle().set("font-weight", "600");
                problems.add(new ListItem(kind, new Span(problem.subject()), new Span(" — " + problem.detail())));
            }
            content.add(problems);
        }
    }

    private void cancel() {
        if (running != null) {
            running.cancel();
        }
        progress.setVisible(false);
        content.removeAll();
        content.add(new Paragraph("Cancelled."));
    }

    private Anchor serviceLink(ServiceHealth service) {
        String query = window.toQuery().getQueryString();
        Anchor link = new Anchor(
                "traces?service="
                        + java.net.URLEncoder.encode(service.red().service(), java.nio.charset.StandardCharsets.UTF_8)
                        + "&" + query,
                service.red().service());
        link.addClassName("nj-service-link");
        return link;
    }

    private static Span healthDot(ServiceHealth service) {
        Span dot = new Span();
        String color = switch (service.level()) {
            case OK -> "#2e9d5b";
            case WARNING -> "#d4a017";
            case CRITICAL -> "#d64545";
        };
        dot.getStyle()
                .set("display", "inline-block")
                .set("width", "0.8em")
                .set("height", "0.8em")
                .set("border-radius", "50%")
                .set("background", color);
        dot.getElement().setAttribute("title", service.level().name().toLowerCase(Locale.ROOT));
        dot.getElement().setAttribute("data-health", service.level().name().toLowerCase(Locale.ROOT));
        return dot;
    }
}
