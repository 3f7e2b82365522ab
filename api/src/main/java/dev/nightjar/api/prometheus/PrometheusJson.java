package dev.nightjar.api.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.promql.QueryStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the bodies of Prometheus' HTTP API byte for byte as Prometheus does: timestamps as seconds
 * with up to three decimals, sample values as strings in Go's shortest form ({@code "1"}, {@code "0.1"},
 * {@code "NaN"}, {@code "+Inf"}), labels as JSON objects in label order.
 */
final class PrometheusJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PrometheusJson() {}

    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static byte[] success(Body data) {
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("status", "success");
            json.writeFieldName("data");
            data.write(json);
            json.writeEndObject();
        });
    }

    static byte[] error(String errorType, String message) {
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("status", "error");
            json.writeStringField("errorType", errorType);
            json.writeStringField("error", message);
            json.writeEndObject();
        });
    }

    static byte[] queryResult(QueryResult result) {
        return queryResult(result, null);
    }

    /** A query answer; with {@code stats} (the {@code stats} parameter was given) Prometheus' cost figures too. */
    static byte[] queryResult(QueryResult result, QueryStats stats) {
        return success(json -> {
            json.writeStartObject();
            json.writeStringField("resultType", result.resultType());
            json.writeFieldName("result");
            switch (result) {
                // Prometheus marshals scalars and strings with encoding/json, float64(t) / 1000 ("….5"), and
                // samples with its own marshalTimestamp ("….500").
                case QueryResult.ScalarResult s -> scalarPoint(json, s.timestampMs(), formatScalarValue(s.value()));
                case QueryResult.StringResult s -> scalarPoint(json, s.timestampMs(), s.value());
                case QueryResult.VectorResult v -> {
                    json.writeStartArray();
                    for (QueryResult.VectorSample sample : v.samples()) {
                        json.writeStartObject();
                        json.writeFieldName("metric");
                        labels(json, sample.labels());
                        json.writeFieldName("value");
                        point(json, sample.timestampMs(), formatSampleValue(sample.value()));
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                }
                case QueryResult.MatrixResult m -> {
                    json.writeStartArray();
                    for (QueryResult.RangeSeries series : m.series()) {
                        json.writeStartObject();
                        json.writeFieldName("metric");
                        labels(json, series.labels());
                        json.writeFieldName("values");
                        json.writeStartArray();
                        for (int i = 0; i < series.size(); i++) {
                            point(json, series.timestampsMs()[i], formatSampleValue(series.values()[i]));
                        }
                        json.writeEndArray();
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                }
            }
            if (stats != null) {
                stats(json, stats);
            }
            json.writeEndObject();
        });
    }

    /** Prometheus' {@code stats} object: timings in seconds, then sample counts. */
    private static void stats(JsonGenerator json, QueryStats stats) throws IOException {
        json.writeFieldName("stats");
        json.writeStartObject();
        json.writeFieldName("timings");
        json.writeStartObject();
        seconds(json, "evalTotalTime", stats.totalNanos());
        seconds(json, "resultSortTime", 0);
        seconds(json, "queryPreparationTime", stats.preparationNanos());
        seconds(json, "innerEvalTime", stats.evalNanos());
        seconds(json, "execQueueTime", 0);
        seconds(json, "execTotalTime", stats.totalNanos());
        json.writeEndObject();
        json.writeFieldName("samples");
        json.writeStartObject();
        json.writeNumberField("totalQueryableSamples", stats.totalQueryableSamples());
        json.writeNumberField("peakSamples", stats.peakSamples());
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Seconds as Go's encoding/json writes a float64: plain decimals, an exponent only below 1e-6. */
    private static void seconds(JsonGenerator json, String name, long nanos) throws IOException {
        json.writeFieldName(name);
        double s = nanos / 1e9;
        if (s == 0) {
            json.writeNumber("0");
        } else if (Math.abs(s) < 1e-6) {
            // Java writes 5.23E-7 where Go writes 5.23e-07.
            String[] parts = Double.toString(s).split("E");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exponent = Integer.parseInt(parts[1]);
            json.writeNumber(mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(Locale.ROOT, "%02d", Math.abs(exponent)));
        } else {
            json.writeNumber(
                    new BigDecimal(Double.toString(s)).stripTrailingZeros().toPlainString());
        }
    }

    static byte[] labelSets(List<Labels> sets) {
        return success(json -> {
            json.writeStartArray();
            for (Labels labels : sets) {
                labels(json, labels);
            }
            json.writeEndArray();
        });
    }

    static byte[] strings(List<String> values) {
        return success(json -> {
            json.writeStartArray();
            for (String value : values) {
                json.writeString(value);
            }
            json.writeEndArray();
        });
    }

    static byte[] metadata(Map<String, List<MetricMetadata>> byFamily) {
        return success(json -> {
            json.writeStartObject();
            for (Map.Entry<String, List<MetricMetadata>> entry : byFamily.entrySet()) {
                json.writeArrayFieldStart(entry.getKey());
                for (MetricMetadata m : entry.getValue()) {
                    json.writeStartObject();
                    json.writeStringField("type", typeName(m));
                    json.writeStringField("help", m.help());
                    json.writeStringField("unit", m.unit());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }

    static byte[] object(Map<String, String> fields) {
        return success(json -> {
            json.writeStartObject();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                json.writeStringField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
        });
    }

    private static String typeName(MetricMetadata m) {
        return switch (m.type()) {
            case GAUGE_HISTOGRAM -> "gaugehistogram";
            default -> m.type().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void labels(JsonGenerator json, Labels labels) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            json.writeStringField(labels.name(i), labels.value(i));
        }
        json.writeEndObject();
    }

    private static void point(JsonGenerator json, long timestampMs, String value) throws IOException {
        json.writeStartArray();
        json.writeNumber(formatTimestamp(timestampMs));
        json.writeString(value);
        json.writeEndArray();
    }

    private static void scalarPoint(JsonGenerator json, long timestampMs, String value) throws IOException {
        json.writeStartArray();
        json.writeNumber(formatScalarTimestamp(timestampMs));
        json.writeString(value);
        json.writeEndArray();
    }

    /**
     * A scalar or string result's time as Go's encoding/json writes {@code float64(ms) / 1000}: the shortest
     * decimal that reads back as that float, without trailing zeros ({@code 1700000000.5}).
     */
    static String formatScalarTimestamp(long ms) {
        double seconds = ms / 1000.0;
        if (seconds == 0) {
            return "0";
        }
        return shortest(seconds).stripTrailingZeros().toPlainString();
    }

    /** Prometheus' {@code marshalTimestamp}: whole seconds, then {@code .mmm} only when non-zero. */
    static String formatTimestamp(long ms) {
        StringBuilder out = new StringBuilder(16);
        long t = ms;
        if (t < 0) {
            out.append('-');
            t = -t;
        }
        out.append(t / 1000);
        long fraction = t % 1000;
        if (fraction != 0) {
            out.append('.');
            if (fraction < 100) {
                out.append('0');
            }
            if (fraction < 10) {
                out.append('0');
            }
            out.append(fraction);
        }
        return out.toString();
    }

    /**
     * A vector or matrix sample's value as Prometheus' {@code marshalPointJSON} writes it: Go's
     * {@code strconv.FormatFloat(v, 'e', -1, 64)} below 1e-6 and from 1e21 on ({@code 1.5e-07},
     * {@code 1e+21}), {@code 'f'} in between, as encoding/json writes floats.
     */
    static String formatSampleValue(double v) {
        double abs = Math.abs(v);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21) && !Double.isNaN(v) && !Double.isInfinite(v)) {
            return goExponent(v);
        }
        return formatScalarValue(v);
    }

    /** Go's {@code 'e'} with the shortest digits: {@code 1e+21}, {@code -1.5e-07}, {@code 5.729577951308232e+22}. */
    private static String goExponent(double v) {
        BigDecimal digits = shortest(v).stripTrailingZeros();
        String unscaled = digits.unscaledValue().abs().toString();
        int exponent = unscaled.length() - 1 - digits.scale();
        String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    /**
     * The shortest decimal that reads back as {@code v}, as Go's {@code -1} precision picks it. Double.toString
     * (JDK 19+) is shortest too, but writes at least two digits and then picks the closer of them: 4.9E-324
     * where Go writes 5e-324.
     */
    private static BigDecimal shortest(double v) {
        BigDecimal twoOrMore = new BigDecimal(Double.toString(v));
        if (twoOrMore.precision() == 2) {
            BigDecimal one = twoOrMore.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(one.toString()) == v) {
                return one;
            }
        }
        return twoOrMore;
    }

    /**
     * A scalar result's value: Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} (Prometheus' {@code
     * Scalar.MarshalJSON}), with Prometheus' spellings of the specials.
     */
    static String formatScalarValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return shortest(v).stripTrailingZeros().toPlainString();
    }

    private static byte[] render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
