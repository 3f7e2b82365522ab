package dev.nightjar.webapp.logs;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogHistogram;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.webapp.chart.EChart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log counts over time as bars stacked by severity. Dragging across the chart selects a new time window,
 * which the view puts in the URL.
 */
final class SeverityHistogram extends EChart {
    private static final int TARGET_BUCKETS = 60;
    private static final List<Duration> WIDTHS = List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(12),
            Duration.ofDays(1));
    private static final Map<SeverityLevel, String> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put(SeverityLevel.FATAL, "#7f1d1d");
        COLOURS.put(SeverityLevel.ERROR, "#dc2626");
        COLOURS.put(SeverityLevel.WARN, "#f59e0b");
        COLOURS.put(SeverityLevel.INFO, "#3b82f6");
        COLOURS.put(SeverityLevel.DEBUG, "#8b5cf6");
        COLOURS.put(SeverityLevel.TRACE, "#9ca3af");
        COLOURS.put(SeverityLevel.UNSPECIFIED, "#64748b");
    }

    SeverityHistogram() {
        setId("log-histogram");
        setHeight("12em");
    }

    /** A round bucket width giving about {@value #TARGET_BUCKETS} bars over the range. */
    static Duration bucketFor(TimeRange range) {
        Duration ideal = range.duration().dividedBy(TARGET_BUCKETS);
        for (Duration width : WIDTHS) {
            if (width.compareTo(ideal) >= 0) {
                return width;
            }
        }
        return WIDTHS.getLast();
    }

    void show(LogHistogram histogram, TimeRange range) {
        List<Object> series = new ArrayList<>();
        for (Map.Entry<SeverityLevel, String> level : COLOURS.entrySet()) {
            List<Object> points = new ArrayList<>();
            boolean any = false;
            for (LogHistogram.Bucket bucket : histogram.buckets()) {
                long count = bucket.count(level.getKey());
                any |= count > 0;
                long middle =
                        bucket.start().toEpochMilli() + histogram.bucketWidth().toMillis() / 2;
                points.add(List.of(middle, count));
            }
            if (any) {
                series.add(Map.of(
                        "name",
                        level.getKey().name().toLowerCase(java.util.Locale.ROOT),
                        "type",
                        "bar",
                        "stack",
                        "severity",
                        "barCategoryGap",
                        "10%",
                        "itemStyle",
                        Map.of("color", level.getValue()),
                        "data",
                        points));
            }
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("animation", false);
        option.put("grid", Map.of("left", 48, "right", 16, "top", 28, "bottom", 56));
        option.put("legend", Map.of("top", 0));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put(
                "xAxis",
                Map.of(
                        "type",
                        "time",
                        "min",
                        range.start().toEpochMilli(),
                        "max",
                        range.end().toEpochMilli()));
        option.put("yAxis", Map.of("type", "value", "minInterval", 1));
        // With a brush in the option the chart component makes a drag across the plot select a range.
        option.put("brush", Map.of("xAxisIndex", 0, "brushType", "lineX", "brushMode", "single"));
        option.put("series", series);
        setOption(option);
    }
}
