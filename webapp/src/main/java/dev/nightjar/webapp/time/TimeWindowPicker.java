package dev.nightjar.webapp.time;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Picks the shared time window: a relative preset, or absolute start and end (UTC). Every change is
 * handed to {@code onChange}, which puts it in the URL.
 */
public class TimeWindowPicker extends HorizontalLayout {
    static final String CUSTOM = "Custom range";
    static final Map<String, String> PRESETS = presets();

    private final Select<String> preset = new Select<>();
    private final DateTimePicker start = new DateTimePicker();
    private final DateTimePicker end = new DateTimePicker();
    private final Button apply = new Button("Apply");

    public TimeWindowPicker(TimeWindow current, Consumer<TimeWindow> onChange) {
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        setSpacing(true);
        setId("time-window");
        preset.setId("time-window-preset");
        preset.setItems(PRESETS.keySet());
        preset.setAriaLabel("Time range");
        start.setId("time-window-start");
        end.setId("time-window-end");
        start.setAriaLabel("From (UTC)");
        end.setAriaLabel("To (UTC)");
        apply.setId("time-window-apply");

        String label = PRESETS.entrySet().stream()
                .filter(e -> e.getValue().equals(current.from()) && "now".equals(current.to()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(CUSTOM);
        preset.setValue(label);
        var range = current.resolve(java.time.Instant.now());
        start.setValue(LocalDateTime.ofInstant(range.start(), ZoneOffset.UTC));
        end.setValue(LocalDateTime.ofInstant(range.end(), ZoneOffset.UTC));
        showCustom(CUSTOM.equals(label));

        preset.addValueChangeListener(event -> {
            if (!event.isFromClient()) {
                return;
            }
            if (CUSTOM.equals(event.getValue())) {
                showCustom(true);
            } else {
                onChange.accept(new TimeWindow(PRESETS.get(event.getValue()), "now"));
            }
        });
        apply.addClickListener(click -> {
            if (start.getValue() != null
                    && end.getValue() != null
                    && start.getValue().isBefore(end.getValue())) {
                onChange.accept(TimeWindow.absolute(
                        start.getValue().toInstant(ZoneOffset.UTC),
                        end.getValue().toInstant(ZoneOffset.UTC)));
            } else {
                start.setInvalid(true);
                start.setErrorMessage("Start must be before end");
            }
        });
        add(preset, start, end, apply);
    }

    private void showCustom(boolean visible) {
        start.setVisible(visible);
        end.setVisible(visible);
        apply.setVisible(visible);
    }

    private static Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("Last 5 minutes", "now-5m");
        presets.put("Last 15 minutes", "now-15m");
        presets.put("Last 1 hour", "now-1h");
        presets.put("Last 6 hours", "now-6h");
        presets.put("Last 24 hours", "now-24h");
        presets.put("Last 7 days", "now-7d");
        presets.put(CUSTOM, "");
        return presets;
    }
}
