package dev.nightjar.storage.testkit.metrics.prometheus;

import java.util.ArrayList;
import java.util.List;

/** The query table of the differential test; every operator and function appears at least once. */
public final class DifferentialQueries {

    private DifferentialQueries() {}

    public static final long AT = DifferentialData.T0 / 1000 + 3600;

    /**
     * Every query: the table below (every operator and function once), the odd values and edge
     * cases found since ({@link OddValueQueries}, {@link EdgeCaseQueries}), then {@link
     * HeldOutQueries#QUERIES}.
     */
    public static final List<String> QUERIES;

    private static final List<String> TABLE = List.of(
            // selectors and matchers
            "http_requests_total",
            "http_requests_total{code=\"500\"}",
            "http_requests_total{instance=~\"0|1\", code!=\"500\"}",
            "http_requests_total{code=~\"5..\"}",
            "http_requests_total{instance!~\"1|2\"}",
            "http_requests_total{job!~\"a.*\"}",
            "{__name__=~\"http_.*\", code=\"200\"}",
            "{__name__=~\"cpu_.+|memory_bytes\"}",
            "odd_labels",
            "odd_labels{path=\"/a b\\\"c\\\\d\"}",
            "nonexistent",
            "http_requests_total offset 10m",
            "http_requests_total @ " + AT,
            "http_requests_total @ start()",
            "rate(http_requests_total[5m] @ end())",
            "http_requests_total offset -5m",
            // staleness and missing series
            "flappy",
            "flappy offset 5m",
            "vanishing",
            "count_over_time(flappy[30m])",
            "last_over_time(flappy[10m])",
            "rate(nonexistent[5m])",
            "sum(nonexistent)",
            "nonexistent + 1",
            // counters
            "rate(http_requests_total[5m])",
            "rate(http_requests_total[1m])",
            "irate(http_requests_total[5m])",
            "increase(http_requests_total[10m])",
            "rate(http_requests_total[5m] offset 30m)",
            "resets(http_requests_total[1h])",
            "rate(cpu_seconds_total[5m])",
            "increase(jittery[5m])",
            "rate(jittery[2m])",
            // gauges
            "delta(temperature[10m])",
            "idelta(temperature[5m])",
            "deriv(memory_bytes[10m])",
            "predict_linear(memory_bytes[30m], 3600)",
            "changes(temperature[30m])",
            "avg_over_time(temperature[10m])",
            "min_over_time(temperature[10m])",
            "max_over_time(temperature[10m])",
            "sum_over_time(memory_bytes[10m])",
            "count_over_time(temperature[10m])",
            "last_over_time(temperature[10m])",
            "present_over_time(temperature[10m])",
            "stddev_over_time(temperature[10m])",
            "stdvar_over_time(memory_bytes[10m])",
            "quantile_over_time(0.9, temperature[30m])",
            "quantile_over_time(0.5, memory_bytes[10m])",
            "absent(nonexistent{job=\"x\", instance=~\"y\"})",
            "absent(http_requests_total)",
            "absent_over_time(flappy[10m])",
            "absent_over_time(nonexistent{job=\"x\"}[5m])",
            "holt_winters(memory_bytes[10m], 0.5, 0.5)",
            // histograms
            "histogram_quantile(0.9, rate(latency_seconds_bucket[5m]))",
            "histogram_quantile(0.5, sum by (le) (rate(latency_seconds_bucket[10m])))",
            "histogram_quantile(0.99, latency_seconds_bucket)",
            "histogram_quantile(1.5, latency_seconds_bucket)",
            "rate(latency_seconds_sum[5m]) / rate(latency_seconds_count[5m])",
            // labels
            "label_replace(http_requests_total, \"inst\", \"i-$1\", \"instance\", \"(.*)\")",
            "label_replace(http_requests_total, \"code\", \"\", \"code\", \"5.*\")",
            "label_join(http_requests_total, \"key\", \":\", \"job\", \"instance\", \"code\")",
            // math
            "clamp(temperature, -1, 1)",
            "clamp_min(temperature, 0)",
            "clamp_max(temperature, 0)",
            "abs(temperature)",
            "ceil(temperature)",
            "floor(temperature)",
            "round(temperature)",
            "round(temperature, 0.5)",
            "exp(temperature / 10)",
            "ln(memory_bytes)",
            "log2(memory_bytes)",
            "log10(memory_bytes)",
            "sqrt(memory_bytes)",
            "sgn(temperature)",
            "sin(temperature)",
            "cos(temperature)",
            "tan(temperature)",
            "asin(clamp(temperature / 100, -1, 1))",
            "acos(clamp(temperature / 100, -1, 1))",
            "atan(temperature)",
            "sinh(temperature / 50)",
            "cosh(temperature / 50)",
            "tanh(temperature)",
            "asinh(temperature)",
            "acosh(abs(temperature) + 1)",
            "atanh(clamp(temperature / 100, -0.99, 0.99))",
            "deg(temperature)",
            "rad(temperature)",
            "pi()",
            // time
            "time()",
            "timestamp(http_requests_total)",
            "timestamp(jittery)",
            "minute()",
            "hour()",
            "day_of_month()",
            "day_of_week()",
            "day_of_year()",
            "days_in_month()",
            "month()",
            "year()",
            "hour(timestamp(jittery))",
            "vector(1)",
            "vector(time())",
            "scalar(sum(memory_bytes))",
            "scalar(memory_bytes)",
            "sort(memory_bytes)",
            "sort_desc(memory_bytes)",
            // aggregations
            "sum(rate(http_requests_total[5m])) by (code)",
            "sum without (instance) (rate(http_requests_total[5m]))",
            "avg by (code) (http_requests_total)",
            "min by (code) (http_requests_total)",
            "max by (code) (http_requests_total)",
            "count by (code) (http_requests_total)",
            "group by (code) (http_requests_total)",
            "stddev by (code) (rate(http_requests_total[5m]))",
            "stdvar(memory_bytes)",
            "topk(3, http_requests_total)",
            "bottomk(2, memory_bytes)",
            "topk by (code) (1, http_requests_total)",
            "quantile(0.5, memory_bytes)",
            "quantile by (code) (0.9, rate(http_requests_total[5m]))",
            "count_values(\"v\", node_info)",
            "count_values by (role) (\"v\", node_info)",
            "sum by (__name__) ({__name__=~\"memory_bytes|cpu_seconds_total\"})",
            "sum(memory_bytes) without (instance)",
            // binary operators
            "http_requests_total + 1",
            "2 * http_requests_total",
            "http_requests_total / 3",
            "http_requests_total % 7",
            "http_requests_total ^ 0.5",
            "100 - temperature",
            "-temperature",
            "memory_bytes > 150000000",
            "memory_bytes > bool 150000000",
            "150000000 < memory_bytes",
            "memory_bytes == memory_bytes",
            "temperature != 0",
            "temperature <= bool 0",
            "http_requests_total{code=\"200\"} / ignoring(code) http_requests_total{code=\"500\"}",
            "http_requests_total{code=\"200\"} + on(instance, job) http_requests_total{code=\"500\"}",
            "memory_bytes * on(instance) group_left(role) node_info",
            "node_info * on(instance) group_right(role) memory_bytes",
            "memory_bytes > on(instance) group_left node_info",
            "http_requests_total and http_requests_total{code=\"200\"}",
            "http_requests_total{code=\"500\"} or memory_bytes",
            "http_requests_total unless http_requests_total{instance=\"1\"}",
            "http_requests_total and on(instance) memory_bytes{instance=\"0\"}",
            "rate(http_requests_total[5m]) > bool 0.5",
            "memory_bytes atan2 memory_bytes",
            "1 + 2 * 3 ^ 2 % 5",
            "2 ^ 3 ^ 2",
            "-2 ^ 2",
            "(1 > bool 2) + 1",
            "10 atan2 3",
            "sum(rate(http_requests_total[5m])) / sum(rate(http_requests_total[5m] offset 1h))",
            // subqueries
            "max_over_time(rate(http_requests_total[5m])[30m:1m])",
            "avg_over_time(temperature[1h:5m])",
            "rate(http_requests_total[10m:])",
            "sum_over_time(sum(http_requests_total)[20m:2m] offset 5m)",
            "deriv(sum(memory_bytes)[30m:1m])",
            "min_over_time(memory_bytes[10m:30s] @ " + AT + ")",
            "max_over_time(deriv(memory_bytes[5m])[10m:])");

    static {
        List<String> all = new ArrayList<>(TABLE);
        all.addAll(OddValueQueries.QUERIES);
        all.addAll(EdgeCaseQueries.QUERIES);
        all.addAll(HeldOutQueries.QUERIES);
        QUERIES = List.copyOf(all);
    }

    /**
     * Compared as instant queries only: topk/bottomk choosing among equal values of a computed
     * vector. In a range query Prometheus builds each intermediate result from a Go map, so the
     * order in which the series reach topk, and with it which tied series it keeps, varies from run
     * to run (see the promql README's known differences); in an instant query the order is defined.
     */
    public static final List<String> INSTANT_ONLY = List.of(
            "topk(50, tied or label_replace(tied, \"j\", \"1\", \"\", \"\") or label_replace(-tied, \"j\", \"2\", \"\", \"\"))",
            "bottomk(70, tied or label_replace(tied % 3, \"j\", \"1\", \"\", \"\") or label_replace(tied, \"j\", \"2\", \"\", \"\"))",
            "topk(5, -tied + 2)",
            "bottomk(15, increase(http_requests_total[5m]) * 0 or tied)",
            "topk(3, sort_desc(tied * 0))",
            "bottomk by (x) (2, label_replace(tied, \"x\", \"$1\", \"i\", \".(.)\") > 0)",
            "topk(2, sum by (instance) (rate(http_requests_total[5m])))");
}
