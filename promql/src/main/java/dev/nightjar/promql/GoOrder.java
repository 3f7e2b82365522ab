package dev.nightjar.promql;

import dev.nightjar.promql.Values.Sample;
import java.util.List;

/**
 * The orderings Prometheus gives sort(), sort_desc(), topk() and bottomk(), reproduced exactly
 * rather than approximately: their comparisons treat NaN as smaller (or larger) than everything
 * including another NaN and -0 as equal to +0, so which of several tied samples wins, and where
 * ties and NaNs end up, follows from the algorithm: a binary min-heap with Go's container/heap
 * sift rules for topk/bottomk, and Go's sort.Sort (pattern-defeating quicksort).
 */
final class GoOrder {

    private GoOrder() {}

    /** A strict "less" relation on samples. */
    @FunctionalInterface
    interface Less {
        boolean less(Sample a, Sample b);
    }

    /** Ascending by value, NaN below everything (Prometheus' vectorByValueHeap). */
    static final Less BY_VALUE = (a, b) -> Double.isNaN(a.value()) || a.value() < b.value();

    /** Descending by value, NaN above everything (Prometheus' vectorByReverseValueHeap). */
    static final Less BY_VALUE_REVERSED = (a, b) -> Double.isNaN(a.value()) || a.value() > b.value();

    static Less reversed(Less less) {
        return (a, b) -> less.less(b, a);
    }

    /**
     * Go's sort.Sort (Go 1.19, which Prometheus 2.42 is built with) over {@code list} in place: a
     * pattern-defeating quicksort that falls back to insertion sort for up to 12 elements. The same
     * comparisons and swaps in the same order, so equal elements land where Prometheus puts them.
     */
    static void sort(List<Sample> list, Less less) {
        new PdqSort() {
            @Override
            boolean less(int i, int j) {
                return less.less(list.get(i), list.get(j));
            }

            @Override
            void swap(int i, int j) {
                GoOrder.swap(list, i, j);
            }
        }.sort(list.size());
    }

    /**
     * Go's sort.Sort of float64 values ordered by Prometheus' vectorByValueHeap (NaN below
     * everything), as its quantile() and quantile_over_time() sort them before interpolating.
     */
    static void sortValues(double[] values) {
        new PdqSort() {
            @Override
            boolean less(int i, int j) {
                return Double.isNaN(values[i]) || values[i] < values[j];
            }

            @Override
            void swap(int i, int j) {
                double t = values[i];
                values[i] = values[j];
                values[j] = t;
            }
        }.sort(values.length);
    }

    /** The pattern-defeating quicksort over anything indexable; ranges are half-open. */
    private abstract static class PdqSort {
        private static final int MAX_INSERTION = 12;
        private static final int SHORTEST_NINTHER = 50;
        private static final int MAX_SWAPS = 4 * 3;

        private int swaps;
        private boolean alreadyPartitioned;

        abstract boolean less(int i, int j);

        abstract void swap(int i, int j);

        final void sort(int n) {
            if (n > 1) {
                sort(0, n, 64 - Long.numberOfLeadingZeros(n));
            }
        }

        void sort(int a, int b, int limit) {
            boolean wasBalanced = true;
            boolean wasPartitioned = true;
            while (true) {
                int length = b - a;
                if (length <= MAX_INSERTION) {
                    insertionSort(a, b);
                    return;
                }
                if (limit == 0) {
                    heapSort(a, b);
                    return;
                }
                if (!wasBalanced) {
                    breakPatterns(a, b);
                    limit--;
                }
                swaps = 0;
                int pivot = choosePivot(a, b);
                boolean increasing = swaps == 0;
                if (swaps == MAX_SWAPS) {
                    // Likely descending: reverse, and the pivot moves with its element.
                    for (int i = a, j = b - 1; i < j; i++, j--) {
                        swap(i, j);
                    }
                    pivot = (b - 1) - (pivot - a);
                    increasing = true;
                }
                if (wasBalanced && wasPartitioned && increasing && partialInsertionSort(a, b)) {
                    return;
                }
                if (a > 0 && !less(a - 1, pivot)) {
                    // Many elements equal to the pivot: split off those equal to it.
                    a = partitionEqual(a, b, pivot);
                    continue;
                }
                int mid = partition(a, b, pivot);
                wasPartitioned = alreadyPartitioned;
                int left = mid - a;
                int right = b - mid;
                int threshold = length / 8;
                if (left < right) {
                    wasBalanced = left >= threshold;
                    sort(a, mid, limit);
                    a = mid + 1;
                } else {
                    wasBalanced = right >= threshold;
                    sort(mid + 1, b, limit);
                    b = mid;
                }
            }
        }

        private void insertionSort(int a, int b) {
            for (int i = a + 1; i < b; i++) {
                for (int j = i; j > a && less(j, j - 1); j--) {
                    swap(j, j - 1);
                }
            }
        }

        private void siftDown(int lo, int hi, int first) {
            int root = lo;
            while (true) {
                int child = 2 * root + 1;
                if (child >= hi) {
                    return;
                }
                if (child + 1 < hi && less(first + child, first + child + 1)) {
                    child++;
                }
                if (!less(first + root, first + child)) {
                    return;
                }
                swap(first + root, first + child);
                root = child;
            }
        }

        private void heapSort(int a, int b) {
            int hi = b - a;
            for (int i = (hi - 1) / 2; i >= 0; i--) {
                siftDown(i, hi, a);
            }
            for (int i = hi - 1; i >= 0; i--) {
                swap(a, a + i);
                siftDown(0, i, a);
            }
        }

        /** Moves elements below the pivot before it and the rest after; returns its new index. */
        private int partition(int a, int b, int pivot) {
            swap(a, pivot);
            int i = a + 1;
            int j = b - 1;
            while (i <= j && less(i, a)) {
                i++;
            }
            while (i <= j && !less(j, a)) {
                j--;
            }
            if (i > j) {
                swap(j, a);
                alreadyPartitioned = true;
                return j;
            }
            swap(i, j);
            i++;
            j--;
            while (true) {
                while (i <= j && less(i, a)) {
                    i++;
                }
                while (i <= j && !less(j, a)) {
                    j--;
                }
                if (i > j) {
                    break;
                }
                swap(i, j);
                i++;
                j--;
            }
            swap(j, a);
            alreadyPartitioned = false;
            return j;
        }

        /** Splits elements equal to the pivot (there are none below it) from those above it. */
        private int partitionEqual(int a, int b, int pivot) {
            swap(a, pivot);
            int i = a + 1;
            int j = b - 1;
            while (true) {
                while (i <= j && !less(a, i)) {
                    i++;
                }
                while (i <= j && less(a, j)) {
                    j--;
                }
                if (i > j) {
                    return i;
                }
                swap(i, j);
                i++;
                j--;
            }
        }

        /** Fixes up to five adjacent inversions on long ranges; true when the range ends sorted. */
        private boolean partialInsertionSort(int a, int b) {
            int i = a + 1;
            for (int step = 0; step < 5; step++) {
                while (i < b && !less(i, i - 1)) {
                    i++;
                }
                if (i == b) {
                    return true;
                }
                if (b - a < 50) {
                    return false;
                }
                swap(i, i - 1);
                if (i - a >= 2) {
                    for (int j = i - 1; j >= 1; j--) {
                        if (!less(j, j - 1)) {
                            break;
                        }
                        swap(j, j - 1);
                    }
                }
                if (b - i >= 2) {
                    for (int j = i + 1; j < b; j++) {
                        if (!less(j, j - 1)) {
                            break;
                        }
                        swap(j, j - 1);
                    }
                }
            }
            return false;
        }

        /** Swaps three elements around the middle with pseudo-random ones (xorshift seeded by length). */
        private void breakPatterns(int a, int b) {
            int length = b - a;
            if (length < 8) {
                return;
            }
            long random = length;
            long modulus = 1L << (64 - Long.numberOfLeadingZeros(length));
            for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
                random ^= random << 13;
                random ^= random >>> 17;
                random ^= random << 5;
                int other = (int) (random & (modulus - 1));
                if (other >= length) {
                    other -= length;
                }
                swap(idx, a + other);
            }
        }

        /** Median of three (or Tukey's ninther from 50 elements); counts swaps in {@link #swaps}. */
        private int choosePivot(int a, int b) {
            int l = b - a;
            int i = a + l / 4;
            int j = a + l / 4 * 2;
            int k = a + l / 4 * 3;
            if (l >= 8) {
                if (l >= SHORTEST_NINTHER) {
                    i = median(i - 1, i, i + 1);
                    j = median(j - 1, j, j + 1);
                    k = median(k - 1, k, k + 1);
                }
                j = median(i, j, k);
            }
            return j;
        }

        private int median(int a, int b, int c) {
            if (less(b, a)) {
                swaps++;
                int t = a;
                a = b;
                b = t;
            }
            if (less(c, b)) {
                swaps++;
                int t = b;
                b = c;
                c = t;
            }
            if (less(b, a)) {
                swaps++;
                int t = a;
                a = b;
                b = t;
            }
            return b;
        }
    }

    static void swap(List<Sample> list, int i, int j) {
        Sample t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
    }
}
