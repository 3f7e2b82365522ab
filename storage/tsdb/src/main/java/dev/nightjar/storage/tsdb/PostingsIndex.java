package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Inverted index from label pair to the sorted ids of the series carrying it. Matchers that reject
 * the empty string select by union of matching values; matchers that accept it are applied by
 * subtracting the values they reject from the remaining candidates, as Prometheus does.
 */
final class PostingsIndex {

    private final Map<String, Map<String, IntList>> postings = new HashMap<>();
    private final IntList all = new IntList();

    /** Ids must be added in ascending order. */
    void add(int id, Labels labels) {
        all.add(id);
        for (int i = 0; i < labels.size(); i++) {
            postings.computeIfAbsent(labels.name(i), n -> new HashMap<>())
                    .computeIfAbsent(labels.value(i), v -> new IntList())
                    .add(id);
        }
    }

    int[] select(List<Matcher> matchers) {
        int[] result = null;
        List<Matcher> subtractive = new ArrayList<>();
        for (Matcher m : matchers) {
            if (m.matchesEmpty()) {
                subtractive.add(m);
                continue;
            }
            int[] ids = union(matchingValues(m, true));
            result = result == null ? ids : intersect(result, ids);
            if (result.length == 0) {
                return result;
            }
        }
        if (result == null) {
            result = all.toArray();
        }
        for (Matcher m : subtractive) {
            result = subtract(result, union(matchingValues(m, false)));
        }
        return result;
    }

    /** Postings of the values of {@code m.name()} that the matcher accepts (or rejects). */
    private List<int[]> matchingValues(Matcher m, boolean accepted) {
        Map<String, IntList> values = postings.get(m.name());
        if (values == null) {
            return List.of();
        }
        if (accepted && m.type() == dev.nightjar.core.metrics.MatchType.EQUAL) {
            IntList ids = values.get(m.value());
            return ids == null ? List.of() : List.of(ids.toArray());
        }
        List<int[]> out = new ArrayList<>();
        for (Map.Entry<String, IntList> e : values.entrySet()) {
            if (m.matches(e.getKey()) == accepted) {
                out.add(e.getValue().toArray());
            }
        }
        return out;
    }

    List<String> labelNames() {
        return new ArrayList<>(new TreeSet<>(postings.keySet()));
    }

    List<String> labelValues(String name) {
        Map<String, IntList> values = postings.get(name);
        return values == null ? List.of() : new ArrayList<>(new TreeSet<>(values.keySet()));
    }

    static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    static int[] subtract(int[] a, int[] b) {
        int[] out = new int[a.length];
        int j = 0;
        int n = 0;
        for (int value : a) {
            while (j < b.length && b[j] < value) {
                j++;
            }
            if (j >= b.length || b[j] != value) {
                out[n++] = value;
            }
        }
        return Arrays.copyOf(out, n);
    }

    static int[] union(List<int[]> lists) {
        if (lists.isEmpty()) {
            return new int[0];
        }
        if (lists.size() == 1) {
            return lists.getFirst();
        }
        int total = 0;
        for (int[] l : lists) {
            total += l.length;
        }
        int[] out = new int[total];
        int n = 0;
        for (int[] l : lists) {
            System.arraycopy(l, 0, out, n, l.length);
            n += l.length;
        }
        Arrays.sort(out);
        int unique = 0;
        for (int i = 0; i < out.length; i++) {
            if (i == 0 || out[i] != out[i - 1]) {
                out[unique++] = out[i];
            }
        }
        return Arrays.copyOf(out, unique);
    }

    /** A growable sorted int array; cheaper than boxed lists for millions of postings. */
    static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
