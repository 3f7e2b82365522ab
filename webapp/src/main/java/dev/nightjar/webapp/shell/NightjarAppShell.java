package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.aura.Aura;

/** Page-wide settings: the Aura theme, following the system's light or dark preference by default. */
@StyleSheet(Aura.STYLESHEET)
@StyleSheet("context://nightjar.css")
@ColorScheme(ColorScheme.Value.LIGHT_DARK)
public class NightjarAppShell implements AppShellConfigurator {

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.addMetaTag("description", "Nightjar observability");
        settings.addMetaTag("referrer", "no-referrer");
    }
}
