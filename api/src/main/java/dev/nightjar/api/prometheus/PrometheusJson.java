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
                case QueryResult.ScalarResult s -> point(json, s.timestampMs(), formatValue(s.value()));
                case QueryResult.StringResult s -> point(json, s.timestampMs(), s.value());
                case QueryResult.VectorResult v -> {
                    json.writeStartArray();
                    for (QueryResult.VectorSample sample : v.samples()) {
                        json.writeStartObject();
                        json.writeFieldName("metric");
                        labels(json, sample.labels());
                        json.writeFieldName("value");
                        point(json, sample.timestampMs(), formatValue(sample.value()));
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
                            point(json, series.timestampsMs()[i], formatValue(series.values()[i]));
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

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, with Prometheus' spellings of the specials. */
    static String formatValue(double v) {
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
        // Double.toString is the shortest representation that round-trips (JDK 19+), like Go's -1 precision.
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
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
