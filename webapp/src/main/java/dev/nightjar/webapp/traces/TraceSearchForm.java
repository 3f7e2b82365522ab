package dev.nightjar.webapp.traces;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.nightjar.core.traces.Operation;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** The trace search form: service, operation (of that service), duration bounds, status, attributes. */
final class TraceSearchForm extends FormLayout {
    private final ComboBox<String> service = new ComboBox<>("Service");
    private final ComboBox<String> operation = new ComboBox<>("Operation");
    private final TextField min = new TextField("Min duration");
    private final TextField max = new TextField("Max duration");
    private final Select<String> status = new Select<>();
    private final TextField attrs = new TextField("Attributes");

    TraceSearchForm(Function<String, List<Operation>> operations, Consumer<TraceCriteria> search) {
        setId("trace-search-form");
        service.setId("trace-service");
        service.setClearButtonVisible(true);
        operation.setId("trace-operation");
        operation.setClearButtonVisible(true);
        operation.setAllowCustomValue(true);
        operation.addCustomValueSetListener(e -> operation.setValue(e.getDetail()));
        min.setId("trace-min-duration");
        min.setPlaceholder("e.g. 250ms");
        max.setId("trace-max-duration");
        max.setPlaceholder("e.g. 2s");
        status.setId("trace-status");
        status.setLabel("Status");
        status.setItems("any", "error", "ok", "unset");
        status.setValue("any");
        attrs.setId("trace-attributes");
        attrs.setPlaceholder("http.route=/checkout k8s.namespace.name=shop");
        service.addValueChangeListener(e -> {
            operation.clear();
            operation.setItems(
                    e.getValue() == null
                            ? List.of()
                            : operations.apply(e.getValue()).stream()
                                    .map(Operation::name)
                                    .distinct()
                                    .toList());
        });
        Button go = new Button("Search", click -> search.accept(criteria()));
        go.setId("trace-search");
        go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(service, operation, min, max, status, attrs, go);
        setResponsiveSteps(new ResponsiveStep("0", 2), new ResponsiveStep("60em", 4));
        setColspan(attrs, 2);
    }

    void setServices(List<String> services) {
        String current = service.getValue();
        service.setItems(services);
        if (current != null && services.contains(current)) {
            service.setValue(current);
        }
    }

    void show(TraceCriteria criteria) {
        service.setValue(criteria.service().isEmpty() ? null : criteria.service());
        operation.setValue(criteria.operation().isEmpty() ? null : criteria.operation());
        min.setValue(criteria.min());
        max.setValue(criteria.max());
        status.setValue(criteria.status().isEmpty() ? "any" : criteria.status());
        attrs.setValue(criteria.attrs());
    }

    TraceCriteria criteria() {
        return new TraceCriteria(
                service.getValue(),
                operation.getValue(),
                min.getValue(),
                max.getValue(),
                "any".equals(status.getValue()) ? "" : status.getValue(),
                attrs.getValue());
    }
}
