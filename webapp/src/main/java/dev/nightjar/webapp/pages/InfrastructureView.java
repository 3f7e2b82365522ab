package dev.nightjar.webapp.pages;

import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.nightjar.webapp.shell.MainLayout;

@Route(value = "infrastructure", layout = MainLayout.class)
@PageTitle("Infrastructure · Nightjar")
public class InfrastructureView extends PlannedPage {
    public InfrastructureView() {
        super("Infrastructure", "Hosts, processes and containers arrive with the eBPF node sensor.");
    }
}
