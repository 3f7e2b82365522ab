package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "alerts", layout = MainLayout.class)
@PageTitle("Alerts · Nightjar")
public class AlertsView extends PlannedPage {
    public AlertsView() {
        super("Alerts", "Alert rules, contact points and history arrive with alerting.");
    }
}
