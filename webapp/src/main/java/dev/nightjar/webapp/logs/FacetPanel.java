package dev.nightjar.webapp.logs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.nightjar.core.logs.ValueCount;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Top values per field with their counts; clicking one adds {@code field=value} to the query. */
final class FacetPanel extends VerticalLayout {
    private final BiConsumer<String, String> addFilter;

    FacetPanel(BiConsumer<String, String> addFilter) {
        this.addFilter = addFilter;
        setId("log-facets");
        setPadding(false);
        setSpacing(false);
        setWidth("16em");
        getStyle().set("flex-shrink", "0");
    }

    void show(Map<String, List<ValueCount>> facets) {
        removeAll();
        if (facets.isEmpty()) {
            Span none = new Span("No field values in these results.");
            none.addClassName("nj-muted");
            add(none);
            return;
        }
        facets.forEach((field, values) -> {
            H4 title = new H4(field);
            title.getStyle().set("margin", "0.6em 0 0.2em");
            add(title);
            for (ValueCount value : values) {
                String label = FieldNames.abbreviate(value.value()) + " (" + value.count() + ")";
                Button pick = new Button(label, click -> addFilter.accept(field, value.value()));
                pick.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
                pick.addClassName("nj-facet-value");
                pick.getElement().setAttribute("data-field", field);
                pick.getElement().setAttribute("title", field + "=" + value.value());
                pick.getStyle().set("margin", "0").set("justify-content", "flex-start");
                add(pick);
            }
        });
    }
}
