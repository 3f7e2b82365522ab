package dev.nightjar.webapp.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.DomEvent;
import com.vaadin.flow.component.EventData;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.shared.Registration;
import java.util.Map;

/**
 * A chart drawn by Apache ECharts (an open npm library, no commercial Vaadin component). The option
 * is built on the server as plain maps and lists and serialised to JSON; the browser never receives
 * markup from telemetry.
 */
@Tag("nj-chart")
@NpmPackage(value = "echarts", version = "6.1.0")
@JsModule("./nightjar-chart.js")
public class EChart extends Component implements HasSize {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EChart() {
        setWidthFull();
        setHeight("16em");
    }

    /** Replaces what the chart shows. */
    public void setOption(Map<String, Object> option) {
        try {
            getElement().callJsFunction("setOption", JSON.writeValueAsString(option));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("chart option is not serialisable", e);
        }
    }

    /** Fired when the user drags across the x axis (brush or data zoom): the selected range in ms. */
    @DomEvent("nj-zoom")
    public static class ZoomEvent extends ComponentEvent<EChart> {
        private final long start;
        private final long end;

        public ZoomEvent(
                EChart source,
                boolean fromClient,
                @EventData("event.detail.start") double start,
                @EventData("event.detail.end") double end) {
            super(source, fromClient);
            this.start = (long) start;
            this.end = (long) end;
        }

        public long start() {
            return start;
        }

        public long end() {
            return end;
        }
    }

    /** Fired when the user clicks a data item (a point, a bar, a graph node or edge). */
    @DomEvent("nj-click")
    public static class ClickEvent extends ComponentEvent<EChart> {
        private final String dataType;
        private final String name;
        private final String source;
        private final String target;

        public ClickEvent(
                EChart chart,
                boolean fromClient,
                @EventData("event.detail.dataType") String dataType,
                @EventData("event.detail.name") String name,
                @EventData("event.detail.source") String source,
                @EventData("event.detail.target") String target) {
            super(chart, fromClient);
            this.dataType = dataType;
            this.name = name;
            this.source = source;
            this.target = target;
        }

        /** {@code node} or {@code edge} for graphs, empty for other series. */
        public String dataType() {
            return dataType;
        }

        public String name() {
            return name;
        }

        public String source() {
            return source;
        }

        public String target() {
            return target;
        }
    }

    public Registration addZoomListener(ComponentEventListener<ZoomEvent> listener) {
        return addListener(ZoomEvent.class, listener);
    }

    public Registration addClickListener(ComponentEventListener<ClickEvent> listener) {
        return addListener(ClickEvent.class, listener);
    }
}
