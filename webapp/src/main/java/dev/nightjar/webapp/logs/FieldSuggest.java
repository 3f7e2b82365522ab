package dev.nightjar.webapp.logs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import dev.nightjar.core.logs.ValueCount;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Autocomplete for filters: pick a field (common fields and the attribute keys seen in the current
 * results), then one of its most frequent values, and the filter is added to the query.
 */
final class FieldSuggest extends HorizontalLayout {
    private final ComboBox<String> field = new ComboBox<>();
    private final ComboBox<ValueCount> value = new ComboBox<>();

    /** {@code topValues} loads a field's values for the current query; it runs when a field is picked. */
    FieldSuggest(Function<String, List<ValueCount>> topValues, BiConsumer<String, String> addFilter) {
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        field.setId("suggest-field");
        field.setPlaceholder("Field");
        field.setAriaLabel("Filter field");
        field.setAllowCustomValue(true);
        field.addCustomValueSetListener(e -> field.setValue(e.getDetail()));
        field.setWidth("16em");
        value.setId("suggest-value");
        value.setPlaceholder("Value");
        value.setAriaLabel("Filter value");
        value.setItemLabelGenerator(v -> FieldNames.abbreviate(v.value()) + " (" + v.count() + ")");
        value.setWidth("20em");
        field.addValueChangeListener(e -> {
            value.clear();
            if (e.getValue() == null || e.getValue().isBlank()) {
                value.setItems(List.of());
                return;
            }
            try {
                value.setItems(topValues.apply(e.getValue()));
                field.setInvalid(false);
            } catch (IllegalArgumentException invalid) {
                field.setErrorMessage(invalid.getMessage());
                field.setInvalid(true);
                value.setItems(List.of());
            }
        });
        Button add = new Button("Add filter", click -> {
            if (field.getValue() != null && value.getValue() != null) {
                addFilter.accept(field.getValue(), value.getValue().value());
            }
        });
        add.setId("suggest-add");
        add(field, value, add);
        setFields(Set.of());
    }

    /** Offers the common fields plus keys seen in the results. */
    void setFields(Set<String> seen) {
        Set<String> all = new LinkedHashSet<>(Facets.FIELDS);
        seen.stream().sorted().forEach(all::add);
        field.setItems(List.copyOf(all));
    }
}
