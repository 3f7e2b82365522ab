package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "", layout = MainLayout.class)
@PageTitle("Overview · Nightjar")
public class OverviewView extends PlannedPage {
    public OverviewView() {
        super(
                "Overview",
                "Services with their request rate, errors and latency, and recent problems, arrive with the datastore and the dashboard.");
    }
}
