package dev.nightjar.ingest.metrics;

import dev.nightjar.core.metrics.Labels;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus label sets from OTLP attributes and resources, by the OpenTelemetry-to-Prometheus rules. */
final class OtlpMetricLabels {
    private OtlpMetricLabels() {}

    static Map<String, String> bucket(Map<String, String> base, String name, String le) {
        Map<String, String> l = renamed(base, name + "_bucket");
        l.put("le", le);
        return l;
    }

    static Map<String, String> renamed(Map<String, String> base, String name) {
        Map<String, String> l = new TreeMap<>(base);
        l.put(Labels.METRIC_NAME, name);
        return l;
    }

    static Map<String, String> labels(String name, List<KeyValue> attributes, Map<String, String> target) {
        Map<String, String> l = new TreeMap<>();
        for (KeyValue kv : attributes) {
            String key = PrometheusNames.labelName(kv.getKey());
            if (key.isEmpty()) {
                continue;
            }
            // Attributes whose names collide after sanitising are joined with ';', as Prometheus does.
            l.merge(key, value(kv.getValue()), (a, b) -> a + ";" + b);
        }
        l.putAll(target);
        l.put(Labels.METRIC_NAME, name);
        return l;
    }

    static Map<String, String> targetLabels(Map<String, String> resource) {
        Map<String, String> target = new TreeMap<>();
        String service = resource.getOrDefault("service.name", "");
        String namespace = resource.getOrDefault("service.namespace", "");
        if (!service.isEmpty()) {
            target.put("job", namespace.isEmpty() ? service : namespace + "/" + service);
        }
        String instance = resource.getOrDefault("service.instance.id", "");
        if (!instance.isEmpty()) {
            target.put("instance", instance);
        }
        return target;
    }

    static boolean hasInfo(Map<String, String> resource) {
        for (String key : resource.keySet()) {
            if (!key.equals("service.name") && !key.equals("service.namespace") && !key.equals("service.instance.id")) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    static String value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> formatBound(v.getDoubleValue());
            case ARRAY_VALUE, KVLIST_VALUE, BYTES_VALUE -> v.toString().strip();
            default -> "";
        };
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} with {@code +Inf}, as Prometheus prints {@code le}. */
    static String formatBound(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
