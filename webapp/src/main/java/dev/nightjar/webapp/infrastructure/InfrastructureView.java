package dev.nightjar.webapp.infrastructure;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.treegrid.TreeGrid;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.webapp.shell.BackgroundQueries;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import dev.nightjar.webapp.shell.SendDataHint;
import dev.nightjar.webapp.time.TimeWindow;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Hosts, containers and processes the node sensor sees, with network, ports and lifecycle. */
@Route(value = "infrastructure", layout = MainLayout.class)
@PageTitle("Infrastructure · Nightjar")
public class InfrastructureView extends VerticalLayout implements BeforeEnterObserver {
    private static final long MAX_RANGE_MS = Duration.ofDays(7).toMillis();

    private final DashboardSession session;
    private final BackgroundQueries background;
    private final PromqlEngine engine;
    private final MetricsReader reader;
    private final TreeGrid<Inventory.Row> grid = new TreeGrid<>();
    private final Span status = new Span();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final VerticalLayout empty = new VerticalLayout();
    private BackgroundQueries.Running running;

    @Inject
    public InfrastructureView(
            DashboardSession session,
            BackgroundQueries background,
            Instance<PromqlEngine> engine,
            Instance<MetricsReader> reader) {
        this.session = session;
        this.background = background;
        this.engine = engine.isResolvable() ? engine.get() : null;
        this.reader = reader.isResolvable() ? reader.get() : null;
        setPadding(true);
        setSizeFull();
        add(new H2("Infrastructure"));
        if (this.engine == null || this.reader == null) {
            add(new Paragraph("The metrics store is not available on this instance (query role disabled)."));
            return;
        }
        grid.setId("infrastructure-grid");
        grid.addHierarchyColumn(Inventory.Row::name)
                .setHeader("Name")
                .setFlexGrow(3)
                .setResizable(true);
        grid.addColumn(Inventory.Row::kind).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(Inventory.Row::ports).setHeader("Listening ports").setAutoWidth(true);
        grid.addColumn(r -> bytes(r.bytesSent()) + " / " + bytes(r.bytesReceived()))
                .setHeader("Network sent / received")
                .setAutoWidth(true);
        grid.addColumn(r -> String.format(Locale.ROOT, "%.0f", r.connections()))
                .setHeader("Connections")
                .setAutoWidth(true);
        grid.addColumn(Inventory.Row::cpu).setHeader("CPU").setAutoWidth(true);
        grid.addColumn(Inventory.Row::memory).setHeader("Memory").setAutoWidth(true);
        grid.addColumn(r -> r.lifecycle().text()).setHeader("Lifecycle").setFlexGrow(2);
        grid.addColumn(r -> r.lifecycle().crashLoop() ? "crash loop" : "")
                .setHeader("Flag")
                .setAutoWidth(true);
        grid.setPartNameGenerator(r -> r.lifecycle().crashLoop() ? "nj-crash-loop" : null);
        grid.setHeight("70vh");
        progress.setIndeterminate(true);
        progress.setWidth("8em");
        cancel.addClickListener(click -> {
            if (running != null) {
                running.cancel();
            }
            showRunning(false);
            status.setText("Cancelled.");
        });
        status.setId("infrastructure-status");
        HorizontalLayout toolbar = new HorizontalLayout(progress, cancel, status);
        toolbar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        empty.setPadding(false);
        empty.setVisible(false);
        showRunning(false);
        add(toolbar, grid, empty);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (engine == null) {
            return;
        }
        TimeRange range =
                TimeWindow.fromQuery(event.getLocation().getQueryParameters()).resolve(Instant.now());
        long to = range.end().toEpochMilli();
        long from = Math.max(range.start().toEpochMilli(), to - MAX_RANGE_MS);
        TenantId tenant = session.require().tenant();
        showRunning(true);
        status.setText("Loading…");
        running = background.run(
                UI.getCurrent(),
                () -> Inventory.load(engine, reader, tenant, from, Math.max(to, from + 1000)),
                this::show,
                e -> {
                    showRunning(false);
                    status.setText("Query failed: " + e.getMessage());
                });
    }

    private void show(List<Inventory.Row> hosts) {
        showRunning(false);
        grid.setItems(hosts, Inventory.Row::children);
        grid.expand(hosts);
        empty.removeAll();
        empty.setVisible(hosts.isEmpty());
        grid.setVisible(!hosts.isEmpty());
        if (hosts.isEmpty()) {
            empty.add(new SendDataHint("No hosts in this time range. This page is fed by the Nightjar node"
                    + " sensor (sensors/): run it on your hosts with an ingest key."));
            status.setText("");
        } else {
            long processes = hosts.stream().mapToLong(h -> count(h.children())).sum();
            status.setText(hosts.size() + " host(s) · " + processes + " processes");
        }
    }

    private static long count(List<Inventory.Row> rows) {
        long n = 0;
        for (Inventory.Row r : rows) {
            n += r.children().isEmpty() ? 1 : count(r.children());
        }
        return n;
    }

    private void showRunning(boolean value) {
        progress.setVisible(value);
        cancel.setVisible(value);
    }

    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
