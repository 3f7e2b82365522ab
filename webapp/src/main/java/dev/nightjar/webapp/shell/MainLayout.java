package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import dev.nightjar.webapp.infrastructure.InfrastructureView;
import dev.nightjar.webapp.logs.LogsView;
import dev.nightjar.webapp.metrics.MetricsView;
import dev.nightjar.webapp.overview.OverviewView;
import dev.nightjar.webapp.pages.AlertsView;
import dev.nightjar.webapp.servicemap.ServiceMapView;
import dev.nightjar.webapp.settings.ApiKeysView;
import dev.nightjar.webapp.time.TimeWindow;
import dev.nightjar.webapp.time.TimeWindowPicker;
import dev.nightjar.webapp.traces.TracesView;
import jakarta.inject.Inject;

/** The frame around every signed-in page: navigation, who is signed in, sign out. */
public class MainLayout extends AppLayout implements AfterNavigationObserver {
    private final HorizontalLayout timeSlot = new HorizontalLayout();
    private final java.util.List<SideNavItem> items = new java.util.ArrayList<>();
    private String currentPath = "";

    @Inject
    public MainLayout(DashboardSession session) {
        H1 title = new H1("Nightjar");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");

        Span who = new Span(session.caller().map(c -> c.subject()).orElse(""));
        who.setId("signed-in-user");
        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), click -> signOut());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        signOut.setId("sign-out");

        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        header.setWidthFull();
        HorizontalLayout right = new HorizontalLayout(timeSlot, new ThemeToggle(), who, signOut);
        right.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        right.getStyle().set("margin-inline-end", "var(--lumo-space-m)");
        addToNavbar(header, right);

        SideNav nav = new SideNav();
        items.add(new SideNavItem("Overview", OverviewView.class, VaadinIcon.DASHBOARD.create()));
        items.add(new SideNavItem("Logs", LogsView.class, VaadinIcon.LINES_LIST.create()));
        items.add(new SideNavItem("Traces", TracesView.class, VaadinIcon.SPLIT.create()));
        items.add(new SideNavItem("Metrics", MetricsView.class, VaadinIcon.CHART_LINE.create()));
        items.add(new SideNavItem("Service map", ServiceMapView.class, VaadinIcon.CLUSTER.create()));
        items.add(new SideNavItem("Infrastructure", InfrastructureView.class, VaadinIcon.SERVER.create()));
        items.add(new SideNavItem("Alerts", AlertsView.class, VaadinIcon.BELL.create()));
        items.add(new SideNavItem("Settings", ApiKeysView.class, VaadinIcon.COG.create()));
        items.forEach(nav::addItem);
        nav.setId("main-nav");
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }

    /** Keeps the shared time window in the URL: the picker and every navigation link carry it. */
    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        currentPath = event.getLocation().getPath();
        TimeWindow window = TimeWindow.fromQuery(event.getLocation().getQueryParameters());
        timeSlot.removeAll();
        timeSlot.add(new TimeWindowPicker(window, this::changeWindow));
        items.forEach(item -> item.setQueryParameters(window.toQuery()));
    }

    private void changeWindow(TimeWindow window) {
        getUI().ifPresent(ui -> ui.navigate(currentPath, window.toQuery()));
    }

    private void signOut() {
        // A real POST, so the cookie is cleared server-side and a stray GET link cannot sign people out.
        getElement()
                .executeJs("const f=document.createElement('form');f.method='post';f.action='logout';"
                        + "document.body.appendChild(f);f.submit();");
    }
}
