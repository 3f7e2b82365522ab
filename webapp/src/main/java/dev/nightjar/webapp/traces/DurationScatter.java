package dev.nightjar.webapp.traces;

import dev.nightjar.core.TimeRange;
import dev.nightjar.webapp.chart.EChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trace durations over time, errors in red; clicking a point opens that trace. */
final class DurationScatter extends EChart {

    DurationScatter() {
        setId("trace-scatter");
        setHeight("14em");
    }

    void show(List<TraceSummary> traces, TimeRange range) {
        List<Object> ok = new ArrayList<>();
        List<Object> failed = new ArrayList<>();
        for (TraceSummary t : traces) {
            Map<String, Object> point = Map.of(
                    "name", t.traceId().toHex(),
                    "value", List.of(t.start().toEpochMilli(), t.duration().toNanos() / 1e6));
            (t.errors() > 0 ? failed : ok).add(point);
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("animation", false);
        option.put("grid", Map.of("left", 56, "right", 16, "top", 28, "bottom", 28));
        option.put("legend", Map.of("top", 0));
        option.put("tooltip", Map.of("trigger", "item"));
        option.put(
                "xAxis",
                Map.of(
                        "type",
                        "time",
                        "min",
                        range.start().toEpochMilli(),
                        "max",
                        range.end().toEpochMilli()));
        option.put("yAxis", Map.of("type", "value", "name", "ms", "scale", true));
        option.put(
                "series",
                List.of(
                        Map.of(
                                "name",
                                "ok",
                                "type",
                                "scatter",
                                "symbolSize",
                                9,
                                "itemStyle",
                                Map.of("color", "#3b82f6"),
                                "data",
                                ok),
                        Map.of(
                                "name",
                                "error",
                                "type",
                                "scatter",
                                "symbolSize",
                                9,
                                "itemStyle",
                                Map.of("color", "#dc2626"),
                                "data",
                                failed)));
        setOption(option);
    }
}
