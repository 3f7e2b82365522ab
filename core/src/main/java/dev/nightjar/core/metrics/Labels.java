package dev.nightjar.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The identity of a series: label pairs sorted by name, names unique, no empty values (an empty value
 * means "label absent", as in Prometheus). The metric name is the label {@value #METRIC_NAME}.
 *
 * <p>Kept as two parallel arrays rather than a list of records: a store holds millions of these and
 * compares them on every lookup.
 */
public final class Labels implements Comparable<Labels> {

    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;
    // Queries ask for the same series without its name at every step; remember the answer.
    private Labels withoutName;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** Builds from alternating name, value arguments: {@code Labels.of("__name__", "up", "job", "api")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got an odd count");
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return from(map);
    }

    /** Builds from a map; pairs with an empty value are dropped, names are validated. */
    public static Labels from(Map<String, String> map) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : map.entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue();
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (!isValidLabelName(name)) {
                throw new IllegalArgumentException("invalid label name: \"" + inert(name) + "\"");
            }
            sorted.put(name, value);
        }
        String[] n = new String[sorted.size()];
        String[] v = new String[sorted.size()];
        int i = 0;
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            n[i] = entry.getKey();
            v[i++] = entry.getValue();
        }
        return new Labels(n, v);
    }

    public static Labels from(Collection<Label> labels) {
        Map<String, String> map = new TreeMap<>();
        for (Label label : labels) {
            if (map.put(label.name(), label.value()) != null) {
                throw new IllegalArgumentException("duplicate label name: \"" + inert(label.name()) + "\"");
            }
        }
        return from(map);
    }

    /**
     * Builds from parallel arrays of pairs in any order, which it takes over (the caller must not touch
     * them afterwards). Same rules as {@link #from(Collection)}: duplicate names and invalid names are
     * refused, pairs with an empty value dropped. Ingest calls this per series, so it sorts in place
     * (senders usually send sorted labels, which costs one pass) instead of going through maps.
     */
    public static Labels fromPairs(String[] names, String[] values, int size) {
        for (int i = 1; i < size; i++) {
            String n = names[i];
            String v = values[i];
            int j = i - 1;
            while (j >= 0 && names[j].compareTo(n) > 0) {
                names[j + 1] = names[j];
                values[j + 1] = values[j];
                j--;
            }
            names[j + 1] = n;
            values[j + 1] = v;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (i > 0 && names[i].equals(names[i - 1])) {
                throw new IllegalArgumentException("duplicate label name: \"" + inert(names[i]) + "\"");
            }
            if (values[i] == null || values[i].isEmpty()) {
                continue;
            }
            if (!isValidLabelName(names[i])) {
                throw new IllegalArgumentException("invalid label name: \"" + inert(names[i]) + "\"");
            }
            names[kept] = names[i];
            values[kept++] = values[i];
        }
        return new Labels(Arrays.copyOf(names, kept), Arrays.copyOf(values, kept));
    }

    /** Prometheus' label name rule: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isValidLabelName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Prometheus' metric name rule: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    public static boolean isValidMetricName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_'
                    || c == ':'
                    || (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String inert(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int index) {
        return names[index];
    }

    public String value(int index) {
        return values[index];
    }

    /** The value of a label, or the empty string when absent (Prometheus' convention). */
    public String get(String name) {
        int index = Arrays.binarySearch(names, name);
        return index >= 0 ? values[index] : "";
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    public String metricName() {
        return get(METRIC_NAME);
    }

    /** A copy with the label set, replaced, or (for an empty value) removed. */
    public Labels with(String name, String value) {
        Map<String, String> map = toMap();
        if (value == null || value.isEmpty()) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
        return from(map);
    }

    public Labels without(Set<String> drop) {
        return filter(name -> !drop.contains(name));
    }

    public Labels keepOnly(Set<String> keep) {
        return filter(keep::contains);
    }

    public Labels withoutMetricName() {
        Labels cached = withoutName;
        if (cached == null) {
            cached = has(METRIC_NAME) ? filter(name -> !name.equals(METRIC_NAME)) : this;
            withoutName = cached;
        }
        return cached;
    }

    private Labels filter(Predicate<String> keep) {
        int count = 0;
        for (String name : names) {
            if (keep.test(name)) {
                count++;
            }
        }
        if (count == names.length) {
            return this;
        }
        String[] n = new String[count];
        String[] v = new String[count];
        int j = 0;
        for (int i = 0; i < names.length; i++) {
            if (keep.test(names[i])) {
                n[j] = names[i];
                v[j++] = values[i];
            }
        }
        return new Labels(n, v);
    }

    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    public List<Label> asList() {
        List<Label> list = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            list.add(new Label(names[i], values[i]));
        }
        return list;
    }

    @Override
    public int compareTo(Labels other) {
        int n = Math.min(names.length, other.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(other.names[i]);
            if (c != 0) {
                return c;
            }
            c = values[i].compareTo(other.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(names.length, other.names.length);
    }

    @Override
    public boolean equals(Object o) {
        // The same instance is the common case: receivers cache decoded label sets per series.
        return o == this
                || o instanceof Labels other
                        && hashCode() == other.hashCode()
                        && Arrays.equals(names, other.names)
                        && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    /** Prometheus' text form: {@code name{a="b", c="d"}}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        String metric = metricName();
        out.append(metric).append('{');
        boolean first = true;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(METRIC_NAME)) {
                continue;
            }
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(names[i]).append("=\"").append(escape(values[i])).append('"');
        }
        return out.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
