package dev.nightjar.webapp.metrics;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics explorer: PromQL queries (kept in the URL as {@code q} parameters) drawn as time series with a
 * legend of series labels, or listed as a table of last values. Drag across the chart to zoom.
 */
@Route(value = "metrics", layout = MainLayout.class)
@PageTitle("Metrics · Nightjar")
public class MetricsView extends VerticalLayout implements BeforeEnterObserver {
    static final int MAX_QUERIES = 5;
    static final int MAX_QUERY_LENGTH = 4000;
    static final int TARGET_POINTS = 300;

    private final DashboardSession session;
    private final BackgroundQueries background;
    private final PromqlEngine engine;
    private final MetricsReader reader;
    private final VerticalLayout queryRows = new VerticalLayout();
    private final List<TextField> queryFields = new ArrayList<>();
    private final EChart chart = new EChart();
    private final Grid<PromqlResults.Line> table = new Grid<>();
    private final Span status = new Span();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final VerticalLayout output = new VerticalLayout();
    private TimeWindow window = TimeWindow.DEFAULT;
    private BackgroundQueries.Running running;

    @Inject
    public MetricsView(
            DashboardSession session,
            BackgroundQueries background,
            Instance<PromqlEngine> engine,
            Instance<MetricsReader> reader) {
        this.session = session;
        this.background = background;
        this.engine = engine.isResolvable() ? engine.get() : null;
        this.reader = reader.isResolvable() ? reader.get() : null;
        setPadding(true);
        add(new H2("Metrics"));
        if (this.engine == null || this.reader == null) {
            add(new Paragraph("The metrics store is not available on this instance (query role disabled)."));
            return;
        }
        queryRows.setPadding(false);
        queryRows.setSpacing(false);
        Button addQuery = new Button("Add query", click -> addRow(""));
        addQuery.setId("add-query");
        Button run = new Button("Run", click -> submit());
        run.setId("run-queries");
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        run.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        cancel.setId("cancel-queries");
        cancel.addClickListener(click -> cancelRunning("Cancelled."));
        progress.setIndeterminate(true);
        progress.setWidth("10em");
        status.setId("metrics-status");
        HorizontalLayout actions = new HorizontalLayout(run, addQuery, progress, cancel, status);
        actions.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        showRunning(false);

        Tab chartTab = new Tab("Chart");
        Tab tableTab = new Tab("Table");
        Tabs tabs = new Tabs(chartTab, tableTab);
        tabs.setId("metrics-view-mode");
        chart.setId("metrics-chart");
        chart.setHeight("24em");
        chart.addZoomListener(zoom -> navigate(
                queries(), TimeWindow.absolute(Instant.ofEpochMilli(zoom.start()), Instant.ofEpochMilli(zoom.end()))));
        table.setId("metrics-table");
        table.addColumn(PromqlResults.Line::name).setHeader("Series").setFlexGrow(3);
        table.addColumn(line -> format(line.last())).setHeader("Last value").setFlexGrow(1);
        table.setVisible(false);
        tabs.addSelectedChangeListener(event -> {
            chart.setVisible(event.getSelectedTab() == chartTab);
            table.setVisible(event.getSelectedTab() == tableTab);
        });
        output.setPadding(false);
        output.add(tabs, chart, table);
        add(queryRows, actions, output);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (engine == null) {
            return;
        }
        QueryParameters params = event.getLocation().getQueryParameters();
        window = TimeWindow.fromQuery(params);
        List<String> queries = params.getParameters().getOrDefault("q", List.of()).stream()
                .filter(q -> !q.isBlank() && q.length() <= MAX_QUERY_LENGTH)
                .limit(MAX_QUERIES)
                .toList();
        queryRows.removeAll();
        queryFields.clear();
        if (queries.isEmpty()) {
            addRow("");
        } else {
            queries.forEach(this::addRow);
        }
        TenantId tenant = session.require().tenant();
        TimeRange range = window.resolve(Instant.now());
        if (queries.isEmpty()) {
            showNoQueries(tenant, range);
        } else {
            execute(tenant, queries, range);
        }
    }

    private void addRow(String query) {
        if (queryFields.size() >= MAX_QUERIES) {
            return;
        }
        int index = queryFields.size();
        TextField field = new TextField();
        field.setId("promql-" + index);
        field.setPlaceholder("PromQL, e.g. sum by (job) (rate(http_server_requests_seconds_count[5m]))");
        field.setMaxLength(MAX_QUERY_LENGTH);
        field.setValue(query);
        field.setWidthFull();
        field.setPrefixComponent(new Span(label(index)));
        ComboBox<String> metric = new ComboBox<>();
        metric.setId("metric-name-" + index);
        metric.setPlaceholder("Metric name");
        metric.setItems(q -> metricNames(q.getFilter().orElse("")).stream()
                .skip(q.getOffset())
                .limit(q.getLimit()));
        metric.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                field.setValue(field.getValue().isBlank() ? e.getValue() : field.getValue() + e.getValue());
                field.focus();
            }
        });
        HorizontalLayout row = new HorizontalLayout(field, metric);
        row.setWidthFull();
        row.setFlexGrow(1, field);
        queryFields.add(field);
        queryRows.add(row);
    }

    private List<String> metricNames(String prefix) {
        TimeRange range = window.resolve(Instant.now());
        return reader
                .labelValues(
                        session.require().tenant(),
                        "__name__",
                        List.of(),
                        range.start().toEpochMilli(),
                        range.end().toEpochMilli())
                .stream()
                .filter(name -> name.contains(prefix))
                .limit(500)
                .toList();
    }

    private void submit() {
        navigate(queries(), window);
    }

    private List<String> queries() {
        return queryFields.stream()
                .map(TextField::getValue)
                .filter(q -> !q.isBlank())
                .toList();
    }

    private void navigate(List<String> queries, TimeWindow target) {
        Map<String, List<String>> params = new HashMap<>(target.toQuery().getParameters());
        params.put("q", queries);
        UI.getCurrent().navigate("metrics", new QueryParameters(params));
    }

    private void execute(TenantId tenant, List<String> queries, TimeRange range) {
        long start = range.start().toEpochMilli();
        long end = range.end().toEpochMilli();
        long step = Math.max(1000, (end - start) / TARGET_POINTS);
        showRunning(true);
        status.setText("Running " + queries.size() + " quer" + (queries.size() == 1 ? "y" : "ies") + "…");
        running = background.run(
                UI.getCurrent(),
                () -> {
                    List<PromqlResults.Line> lines = new ArrayList<>();
                    List<String> errors = new ArrayList<>();
                    for (int i = 0; i < queries.size(); i++) {
                        try {
                            lines.addAll(PromqlResults.lines(
                                    label(i), engine.rangeQuery(reader, tenant, queries.get(i), start, end, step)));
                        } catch (RuntimeException e) {
                            errors.add(label(i) + ": " + e.getMessage());
                        }
                    }
                    return new Outcome(lines, errors);
                },
                this::show,
                e -> {
                    showRunning(false);
                    status.setText("Query failed: " + e.getMessage());
                });
    }

    private record Outcome(List<PromqlResults.Line> lines, List<String> errors) {}

    private void show(Outcome outcome) {
        showRunning(false);
        chart.setOption(PromqlResults.chartOption(outcome.lines()));
        table.setItems(outcome.lines());
        String summary = outcome.lines().size() + " series";
        status.setText(outcome.errors().isEmpty() ? summary : summary + " · " + String.join(" · ", outcome.errors()));
        output.setVisible(true);
    }

    private void showNoQueries(TenantId tenant, TimeRange range) {
        output.setVisible(false);
        boolean anyMetrics = !reader.labelValues(
                        tenant,
                        "__name__",
                        List.of(),
                        range.start().toEpochMilli(),
                        range.end().toEpochMilli())
                .isEmpty();
        status.setText(anyMetrics ? "Enter a PromQL query and press Run." : "");
        if (!anyMetrics) {
            add(new SendDataHint("No metrics in this time range yet. Send OTLP metrics or Prometheus remote_write"
                    + " (POST /api/v1/write with an ingest key)."));
        }
    }

    private void cancelRunning(String message) {
        if (running != null) {
            running.cancel();
            running = null;
        }
        showRunning(false);
        status.setText(message);
    }

    private void showRunning(boolean value) {
        progress.setVisible(value);
        cancel.setVisible(value);
    }

    static String label(int index) {
        return String.valueOf((char) ('A' + index));
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.6g", value);
    }
}
