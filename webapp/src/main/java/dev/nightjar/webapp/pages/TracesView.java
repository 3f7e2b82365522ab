package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "traces", layout = MainLayout.class)
@PageTitle("Traces · Nightjar")
public class TracesView extends PlannedPage {
    public TracesView() {
        super("Traces", "Trace search and the waterfall view arrive with the telemetry datastore (OTLP traces).");
    }
}
