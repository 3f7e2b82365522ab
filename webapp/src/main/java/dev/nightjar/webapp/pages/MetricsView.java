package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "metrics", layout = MainLayout.class)
@PageTitle("Metrics · Nightjar")
public class MetricsView extends PlannedPage {
    public MetricsView() {
        super("Metrics", "The PromQL editor and charts arrive with the metrics store.");
    }
}
