package dev.nightjar.webapp.metrics;

import dev.nightjar.promql.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns range-query results into an ECharts option and table rows; labels stay plain strings. */
final class PromqlResults {
    static final int MAX_SERIES_PER_QUERY = 200;

    private PromqlResults() {}

    /** One series of one query, ready to draw. */
    record Line(String query, String name, long[] timestampsMs, double[] values) {
        double last() {
            return values.length == 0 ? Double.NaN : values[values.length - 1];
        }
    }

    static List<Line> lines(String queryLabel, QueryResult.MatrixResult result) {
        List<Line> lines = new ArrayList<>();
        for (QueryResult.RangeSeries series : result.series()) {
            if (lines.size() == MAX_SERIES_PER_QUERY) {
                break;
            }
            String name = series.labels().isEmpty() ? "{}" : series.labels().toString();
            lines.add(new Line(queryLabel, queryLabel + ": " + name, series.timestampsMs(), series.values()));
        }
        return lines;
    }

    static Map<String, Object> chartOption(List<Line> lines) {
        List<Object> series = new ArrayList<>();
        for (Line line : lines) {
            List<Object[]> points = new ArrayList<>(line.timestampsMs().length);
            for (int i = 0; i < line.timestampsMs().length; i++) {
                double v = line.values()[i];
                points.add(new Object[] {line.timestampsMs()[i], Double.isFinite(v) ? v : null});
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", line.name());
            s.put("type", "line");
            s.put("showSymbol", false);
            s.put("connectNulls", false);
            s.put("data", points);
            series.add(s);
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("animation", false);
        option.put("grid", Map.of("left", 60, "right", 20, "top", 20, "bottom", 90));
        option.put("xAxis", Map.of("type", "time"));
        option.put("yAxis", Map.of("type", "value", "scale", true));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("type", "scroll", "bottom", 0));
        option.put("brush", Map.of("xAxisIndex", 0, "brushType", "lineX", "brushMode", "single"));
        option.put("series", series);
        return option;
    }
}
