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
import dev.nightjar.webapp.pages.AlertsView;
import dev.nightjar.webapp.pages.InfrastructureView;
import dev.nightjar.webapp.pages.LogsView;
import dev.nightjar.webapp.pages.MetricsView;
import dev.nightjar.webapp.pages.OverviewView;
import dev.nightjar.webapp.pages.ServiceMapView;
import dev.nightjar.webapp.pages.TracesView;
import dev.nightjar.webapp.settings.ApiKeysView;
import jakarta.inject.Inject;

/** The frame around every signed-in page: navigation, who is signed in, sign out. */
public class MainLayout extends AppLayout {

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
        HorizontalLayout right = new HorizontalLayout(who, signOut);
        right.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        right.getStyle().set("margin-inline-end", "var(--lumo-space-m)");
        addToNavbar(header, right);

        SideNav nav = new SideNav();
        nav.addItem(
                new SideNavItem("Overview", OverviewView.class, VaadinIcon.DASHBOARD.create()),
                new SideNavItem("Logs", LogsView.class, VaadinIcon.LINES_LIST.create()),
                new SideNavItem("Traces", TracesView.class, VaadinIcon.SPLIT.create()),
                new SideNavItem("Metrics", MetricsView.class, VaadinIcon.CHART_LINE.create()),
                new SideNavItem("Service map", ServiceMapView.class, VaadinIcon.CLUSTER.create()),
                new SideNavItem("Infrastructure", InfrastructureView.class, VaadinIcon.SERVER.create()),
                new SideNavItem("Alerts", AlertsView.class, VaadinIcon.BELL.create()),
                new SideNavItem("Settings", ApiKeysView.class, VaadinIcon.COG.create()));
        nav.setId("main-nav");
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }

    private void signOut() {
        // A real POST, so the cookie is cleared server-side and a stray GET link cannot sign people out.
        getElement()
                .executeJs("const f=document.createElement('form');f.method='post';f.action='logout';"
                        + "document.body.appendChild(f);f.submit();");
    }
}
