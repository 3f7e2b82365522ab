package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "logs", layout = MainLayout.class)
@PageTitle("Logs · Nightjar")
public class LogsView extends PlannedPage {
    public LogsView() {
        super("Logs", "Full-text log search, facets and live tail arrive with the telemetry datastore (OTLP logs).");
    }
}
