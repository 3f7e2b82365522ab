package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.page.ColorScheme;

/** Switches between light and dark; the choice is kept in the browser so it survives reloads. */
class ThemeToggle extends Button {
    private static final String STORAGE_KEY = "nightjar-color-scheme";
    private boolean dark;

    ThemeToggle() {
        setIcon(VaadinIcon.ADJUST.create());
        setAriaLabel("Toggle dark mode");
        setTooltipText("Light / dark");
        setId("theme-toggle");
        addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        addClickListener(click -> apply(!dark, true));
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        getElement()
                .executeJs(
                        "return localStorage.getItem($0) || (matchMedia('(prefers-color-scheme: dark)').matches"
                                + " ? 'dark' : 'light')",
                        STORAGE_KEY)
                .then(String.class, stored -> apply("dark".equals(stored), false));
    }

    private void apply(boolean toDark, boolean remember) {
        dark = toDark;
        getUI().ifPresent(ui -> ui.getPage().setColorScheme(dark ? ColorScheme.Value.DARK : ColorScheme.Value.LIGHT));
        getElement().setAttribute("data-scheme", dark ? "dark" : "light");
        if (remember) {
            getElement().executeJs("localStorage.setItem($0, $1)", STORAGE_KEY, dark ? "dark" : "light");
        }
    }
}
