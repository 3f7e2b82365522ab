package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "service-map", layout = MainLayout.class)
@PageTitle("Service map · Nightjar")
public class ServiceMapView extends PlannedPage {
    public ServiceMapView() {
        super("Service map", "The map of who talks to whom arrives with the eBPF node sensor.");
    }
}
