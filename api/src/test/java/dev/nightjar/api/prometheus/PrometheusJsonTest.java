package dev.nightjar.api.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.promql.QueryStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusJsonTest {

    @Test
    void formatsTimestampsLikePrometheus() {
        assertThat(PrometheusJson.formatTimestamp(1_435_781_451_781L)).isEqualTo("1435781451.781");
        assertThat(PrometheusJson.formatTimestamp(1_000L)).isEqualTo("1");
        assertThat(PrometheusJson.formatTimestamp(1_500L)).isEqualTo("1.500");
        assertThat(PrometheusJson.formatTimestamp(1_005L)).isEqualTo("1.005");
        assertThat(PrometheusJson.formatTimestamp(1_050L)).isEqualTo("1.050");
        assertThat(PrometheusJson.formatTimestamp(-1_500L)).isEqualTo("-1.500");
        assertThat(PrometheusJson.formatTimestamp(0)).isEqualTo("0");
    }

    @Test
    void formatsScalarTimestampsAsGoEncodesAFloat() {
        // Prometheus marshals scalar and string results with encoding/json: float64(t) / 1000.
        assertThat(PrometheusJson.formatScalarTimestamp(1_700_000_000_500L)).isEqualTo("1700000000.5");
        assertThat(PrometheusJson.formatScalarTimestamp(1_700_000_000_250L)).isEqualTo("1700000000.25");
        assertThat(PrometheusJson.formatScalarTimestamp(1_435_781_451_781L)).isEqualTo("1435781451.781");
        assertThat(PrometheusJson.formatScalarTimestamp(1_700_000_000_000L)).isEqualTo("1700000000");
        assertThat(PrometheusJson.formatScalarTimestamp(1_050L)).isEqualTo("1.05");
        assertThat(PrometheusJson.formatScalarTimestamp(-1_500L)).isEqualTo("-1.5");
        assertThat(PrometheusJson.formatScalarTimestamp(1L)).isEqualTo("0.001");
        assertThat(PrometheusJson.formatScalarTimestamp(0)).isEqualTo("0");
    }

    @Test
    void formatsScalarValuesLikeGoShortestFloat() {
        assertThat(PrometheusJson.formatScalarValue(1)).isEqualTo("1");
        assertThat(PrometheusJson.formatScalarValue(0.1)).isEqualTo("0.1");
        assertThat(PrometheusJson.formatScalarValue(-2.5)).isEqualTo("-2.5");
        assertThat(PrometheusJson.formatScalarValue(1e21)).isEqualTo("1000000000000000000000");
        assertThat(PrometheusJson.formatScalarValue(1.5e-7)).isEqualTo("0.00000015");
        assertThat(PrometheusJson.formatScalarValue(123456789.125)).isEqualTo("123456789.125");
        assertThat(PrometheusJson.formatScalarValue(0.30000000000000004)).isEqualTo("0.30000000000000004");
        assertThat(PrometheusJson.formatScalarValue(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusJson.formatScalarValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusJson.formatScalarValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusJson.formatScalarValue(0.0)).isEqualTo("0");
        assertThat(PrometheusJson.formatScalarValue(-0.0)).isEqualTo("-0");
    }

    @Test
    void formatsSampleValuesWithAnExponentOutsideWhereEncodingJsonWritesPlainDecimals() {
        // Prometheus' marshalPointJSON: 'e' below 1e-6 and from 1e21 on (as Prometheus 2.42 answers).
        assertThat(PrometheusJson.formatSampleValue(1e21)).isEqualTo("1e+21");
        assertThat(PrometheusJson.formatSampleValue(-1e21)).isEqualTo("-1e+21");
        assertThat(PrometheusJson.formatSampleValue(1.0000000000000001e21)).isEqualTo("1.0000000000000001e+21");
        assertThat(PrometheusJson.formatSampleValue(5.729577951308232e22)).isEqualTo("5.729577951308232e+22");
        assertThat(PrometheusJson.formatSampleValue(1e308)).isEqualTo("1e+308");
        assertThat(PrometheusJson.formatSampleValue(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(PrometheusJson.formatSampleValue(1.500000000000011e-7)).isEqualTo("1.500000000000011e-07");
        assertThat(PrometheusJson.formatSampleValue(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PrometheusJson.formatSampleValue(9.99999999999999e20)).isEqualTo("999999999999999000000");
        assertThat(PrometheusJson.formatSampleValue(1e-6)).isEqualTo("0.000001");
        assertThat(PrometheusJson.formatSampleValue(0.1)).isEqualTo("0.1");
        assertThat(PrometheusJson.formatSampleValue(-0.0)).isEqualTo("-0");
        assertThat(PrometheusJson.formatSampleValue(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusJson.formatSampleValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void writesEveryResultShape() {
        Labels up = Labels.of("__name__", "up", "job", "a\"b\n");
        assertThat(text(PrometheusJson.queryResult(
                        new QueryResult.VectorResult(List.of(new QueryResult.VectorSample(up, 1_000, 1))))))
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                        + "{\"__name__\":\"up\",\"job\":\"a\\\"b\\n\"},\"value\":[1,\"1\"]}]}}");
        assertThat(text(PrometheusJson.queryResult(new QueryResult.MatrixResult(List.of(new QueryResult.RangeSeries(
                        Labels.EMPTY, new long[] {1_000, 2_500}, new double[] {Double.NaN, 3}))))))
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                        + "\"values\":[[1,\"NaN\"],[2.500,\"3\"]]}]}}");
        assertThat(text(PrometheusJson.queryResult(new QueryResult.ScalarResult(1_001, 2))))
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.001,\"2\"]}}");
        assertThat(text(PrometheusJson.queryResult(new QueryResult.StringResult(1_000, "<b>hi</b>"))))
                .isEqualTo(
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"<b>hi</b>\"]}}");
    }

    @Test
    void writesQueryStatsAsPrometheusDoes() {
        QueryStats stats = new QueryStats(120_000, 450, 1_250_500_000, 57_600, 1_234);
        assertThat(text(PrometheusJson.queryResult(new QueryResult.ScalarResult(1_000, 2), stats)))
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"],"
                        + "\"stats\":{\"timings\":{\"evalTotalTime\":1.2505,\"resultSortTime\":0,"
                        + "\"queryPreparationTime\":0.00012,\"innerEvalTime\":4.5e-07,\"execQueueTime\":0,"
                        + "\"execTotalTime\":1.2505},\"samples\":{\"totalQueryableSamples\":57600,"
                        + "\"peakSamples\":1234}}}}");
    }

    @Test
    void writesErrors() {
        assertThat(text(PrometheusJson.error("bad_data", "parse error: \"x\"")))
                .isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error: \\\"x\\\"\"}");
        assertThat(PrometheusApiException.statusOf("bad_data")).isEqualTo(400);
        assertThat(PrometheusApiException.statusOf("execution")).isEqualTo(422);
        assertThat(PrometheusApiException.statusOf("timeout")).isEqualTo(503);
        assertThat(PrometheusApiException.statusOf("canceled")).isEqualTo(499);
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
