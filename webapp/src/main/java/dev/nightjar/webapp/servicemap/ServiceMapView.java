package dev.nightjar.webapp.servicemap;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.api.servicemap.ServiceMap;
import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import dev.nightjar.api.servicemap.ServiceMaps;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.metrics.MetricsReader;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.webapp.chart.EChart;
import dev.nightjar.webapp.shell.BackgroundQueries;
import dev.nightjar.webapp.shell.DashboardSession;
import dev.nightjar.webapp.shell.MainLayout;
import dev.nightjar.webapp.shell.SendDataHint;
import dev.nightjar.webapp.time.TimeWindow;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who talks to whom: the service map for the shared time window, built in the background from the node
 * sensor's series, with a side panel for the clicked node or edge.
 */
@Route(value = "service-map", layout = MainLayout.class)
@PageTitle("Service map · Nightjar")
public class ServiceMapView extends VerticalLayout implements BeforeEnterObserver {
    static final String ALL = "";

    private final DashboardSession session;
    private final BackgroundQueries background;
    private final PromqlEngine engine;
    private final MetricsReader reader;
    private final EChart chart = new EChart();
    private final DetailsPanel details = new DetailsPanel();
    private final TextField filter = new TextField();
    private final Select<String> namespace = new Select<>();
    private final Span status = new Span();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final HorizontalLayout body = new HorizontalLayout();
    private final VerticalLayout empty = new VerticalLayout();
    private ServiceMap map;
    private ServiceMap shown;
    private BackgroundQueries.Running running;

    @Inject
    public ServiceMapView(
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
        add(new H2("Service map"));
        if (this.engine == null || this.reader == null) {
            add(new Paragraph("The metrics store is not available on this instance (query role disabled)."));
            return;
        }
        filter.setId("service-map-filter");
        filter.setPlaceholder("Filter services");
        filter.setClearButtonVisible(true);
        filter.setMaxLength(200);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(e -> render());
        namespace.setId("service-map-namespace");
        namespace.setLabel(null);
        namespace.setEmptySelectionAllowed(false);
        namespace.setItemLabelGenerator(ns -> ns.isEmpty() ? "All namespaces" : ns);
        namespace.setItems(List.of(ALL));
        namespace.setValue(ALL);
        namespace.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                render();
            }
        });
        progress.setIndeterminate(true);
        progress.setWidth("8em");
        cancel.setId("service-map-cancel");
        cancel.addClickListener(click -> {
            if (running != null) {
                running.cancel();
                running = null;
            }
            showRunning(false);
            status.setText("Cancelled.");
        });
        status.setId("service-map-status");
        HorizontalLayout toolbar = new HorizontalLayout(filter, namespace, progress, cancel, status);
        toolbar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        chart.setId("service-map-chart");
        chart.setHeight("70vh");
        chart.addClickListener(this::clicked);
        body.setWidthFull();
        body.add(chart, details);
        body.setFlexGrow(1, chart);
        empty.setPadding(false);
        empty.setVisible(false);
        showRunning(false);
        add(toolbar, body, empty);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (engine == null) {
            return;
        }
        TimeWindow window = TimeWindow.fromQuery(event.getLocation().getQueryParameters());
        TimeRange range = window.resolve(Instant.now());
        long from = range.start().toEpochMilli();
        long to = range.end().toEpochMilli();
        if (to - from > ServiceMaps.MAX_RANGE.toMillis()) {
            from = to - ServiceMaps.MAX_RANGE.toMillis();
        }
        if (to - from < ServiceMaps.MIN_RANGE.toMillis()) {
            from = to - Duration.ofMinutes(1).toMillis();
        }
        load(session.require().tenant(), from, to);
    }

    private void load(TenantId tenant, long from, long to) {
        showRunning(true);
        status.setText("Building the map…");
        long f = from;
        running = background.run(
                UI.getCurrent(), () -> ServiceMaps.build(engine, reader, tenant, f, to), this::show, e -> {
                    showRunning(false);
                    status.setText("Query failed: " + e.getMessage());
                });
    }

    private void show(ServiceMap result) {
        showRunning(false);
        running = null;
        map = result;
        TreeSet<String> namespaces = new TreeSet<>();
        result.nodes().forEach(n -> namespaces.add(n.namespace()));
        namespaces.remove("");
        List<String> items = new ArrayList<>();
        items.add(ALL);
        items.addAll(namespaces);
        String selected = namespace.getValue();
        namespace.setItems(items);
        namespace.setValue(items.contains(selected) ? selected : ALL);
        namespace.setVisible(!namespaces.isEmpty());
        empty.removeAll();
        boolean none = result.nodes().isEmpty();
        empty.setVisible(none);
        body.setVisible(!none);
        if (none) {
            empty.add(new SendDataHint("No connections in this time range. The service map is drawn from the"
                    + " Nightjar node sensor (sensors/): run it on your hosts with an ingest key."));
            status.setText("");
            return;
        }
        render();
    }

    private void render() {
        if (map == null) {
            return;
        }
        shown = MapChart.filter(map, filter.getValue(), namespace.getValue());
        chart.setOption(MapChart.option(shown));
        status.setText(shown.nodes().size() + " services · " + shown.edges().size() + " dependencies"
                + (map.truncated() ? " · only the " + ServiceMaps.MAX_NODES + " busiest shown" : ""));
    }

    private void clicked(EChart.ClickEvent event) {
        if (shown == null) {
            return;
        }
        Map<String, Node> nodes = shown.nodes().stream().collect(Collectors.toMap(Node::id, Function.identity()));
        if ("edge".equals(event.dataType())) {
            shown.edges().stream()
                    .filter(e -> e.source().equals(event.source()) && e.target().equals(event.target()))
                    .findFirst()
                    .ifPresent(e -> showEdge(nodes, e));
        } else if ("node".equals(event.dataType()) && nodes.containsKey(event.name())) {
            details.showNode(shown, nodes.get(event.name()));
        }
    }

    private void showEdge(Map<String, Node> nodes, Edge e) {
        Node from = nodes.get(e.source());
        Node to = nodes.get(e.target());
        if (from != null && to != null) {
            details.showEdge(from, to, e);
        }
    }

    private void showRunning(boolean value) {
        progress.setVisible(value);
        cancel.setVisible(value);
    }
}
