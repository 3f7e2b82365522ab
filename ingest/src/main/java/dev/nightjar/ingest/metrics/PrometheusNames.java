package dev.nightjar.ingest.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry-to-Prometheus name rules (Prometheus' {@code otlptranslator} with suffixes on): metric
 * names from the name's alphanumeric words joined by {@code _}, the unit as a suffix ({@code s} →
 * {@code seconds}, {@code By/s} → {@code bytes_per_second}, {@code 1} → {@code ratio} for gauges),
 * {@code _total} for monotonic counters; label names with invalid characters replaced by {@code _}.
 */
final class PrometheusNames {
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"),
            Map.entry("h", "hours"),
            Map.entry("min", "minutes"),
            Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"),
            Map.entry("us", "microseconds"),
            Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"),
            Map.entry("KiBy", "kibibytes"),
            Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"),
            Map.entry("TiBy", "tibibytes"),
            Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"),
            Map.entry("GBy", "gigabytes"),
            Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"),
            Map.entry("V", "volts"),
            Map.entry("A", "amperes"),
            Map.entry("J", "joules"),
            Map.entry("W", "watts"),
            Map.entry("g", "grams"),
            Map.entry("Cel", "celsius"),
            Map.entry("Hz", "hertz"),
            Map.entry("%", "percent"));
    private static final Map<String, String> PER_UNITS =
            Map.of("s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

    private PrometheusNames() {}

    /** The Prometheus metric name of an OTLP metric. */
    static String metricName(String name, String unit, boolean gauge, boolean monotonicCounter) {
        List<String> words = words(name);
        String u = unit == null ? "" : unit.replaceAll("\\{[^}]*}", "").strip();
        if (!u.isEmpty()) {
            String[] parts = u.split("/", 2);
            String main = mainUnit(parts[0].strip());
            if (!main.isEmpty() && !words.contains(main)) {
                words.addAll(words(main));
            }
            if (parts.length == 2 && !parts[1].isBlank()) {
                String per = PER_UNITS.getOrDefault(parts[1].strip(), sanitizeWord(parts[1].strip()));
                if (!per.isEmpty() && !words.contains(per)) {
                    words.add("per");
                    words.addAll(words(per));
                }
            }
        }
        if (monotonicCounter) {
            words.remove("total");
            words.add("total");
        }
        if (gauge && "1".equals(u) && !words.contains("ratio")) {
            words.add("ratio");
        }
        String joined = String.join("_", words);
        if (joined.isEmpty()) {
            return "_";
        }
        return Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
    }

    private static String mainUnit(String unit) {
        if (unit.equals("1")) {
            return "";
        }
        return UNITS.getOrDefault(unit, sanitizeWord(unit));
    }

    private static String sanitizeWord(String text) {
        return String.join("_", words(text));
    }

    /** Splits on every character outside {@code [a-zA-Z0-9:]}, dropping empty words. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':') {
                word.append(c);
            } else if (!word.isEmpty()) {
                out.add(word.toString());
                word.setLength(0);
            }
        }
        if (!word.isEmpty()) {
            out.add(word.toString());
        }
        return out;
    }

    /** A valid Prometheus label name: invalid characters become {@code _}, a leading digit gets {@code key_}. */
    static String labelName(String key) {
        if (key.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        if (Character.isDigit(out.charAt(0))) {
            out.insert(0, "key_");
        }
        return out.toString();
    }
}
