package dev.nightjar.promql;

import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * The orderings Prometheus gives sort(), sort_desc(), topk() and bottomk(), reproduced exactly
 * rather than approximately: their comparisons treat NaN as smaller (or larger) than everything
 * including another NaN and -0 as equal to +0, so which of several tied samples wins, and where
 * ties and NaNs end up, follows from the algorithm: a binary min-heap with Go's container/heap
 * sift rules for topk/bottomk, and Go's sort.Sort, which is an insertion sort for up to 12
 * elements (longer inputs are sorted stably here, which matches whenever there are no ties).
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

    /** Go's sort.Sort over {@code list} in place. */
    static void sort(List<Sample> list, Less less) {
        int n = list.size();
        if (n <= 12) {
            for (int i = 1; i < n; i++) {
                for (int j = i; j > 0 && less.less(list.get(j), list.get(j - 1)); j--) {
                    swap(list, j, j - 1);
                }
            }
            return;
        }
        list.sort((a, b) -> less.less(a, b) ? -1 : less.less(b, a) ? 1 : 0);
    }

    /**
     * topk ({@code BY_VALUE}) or bottomk ({@code BY_VALUE_REVERSED}) of one group, in the order
     * Prometheus returns them: a heap of at most k samples whose top (the weakest kept sample) is
     * replaced when a later sample beats it or is NaN, then sorted strongest first.
     */
    static List<Sample> select(List<Sample> in, long k, Less heapLess) {
        List<Sample> heap = new ArrayList<>();
        for (Sample s : in) {
            if (heap.isEmpty()) {
                heap.add(s);
                continue;
            }
            Sample top = heap.getFirst();
            if (heap.size() < k || heapLess.less(top, s)) {
                if (heap.size() == k) {
                    if (k == 1) {
                        heap.set(0, s);
                        continue;
                    }
                    pop(heap, heapLess);
                }
                heap.add(s);
                up(heap, heap.size() - 1, heapLess);
            }
        }
        if (heap.size() > 1) {
            sort(heap, reversed(heapLess));
        }
        return heap;
    }

    private static void pop(List<Sample> heap, Less less) {
        int n = heap.size() - 1;
        swap(heap, 0, n);
        down(heap, 0, n, less);
        heap.removeLast();
    }

    private static void up(List<Sample> heap, int j, Less less) {
        while (j > 0) {
            int i = (j - 1) / 2;
            if (!less.less(heap.get(j), heap.get(i))) {
                break;
            }
            swap(heap, i, j);
            j = i;
        }
    }

    private static void down(List<Sample> heap, int i, int n, Less less) {
        while (true) {
            int j = 2 * i + 1;
            if (j >= n) {
                break;
            }
            int j2 = j + 1;
            if (j2 < n && less.less(heap.get(j2), heap.get(j))) {
                j = j2;
            }
            if (!less.less(heap.get(j), heap.get(i))) {
                break;
            }
            swap(heap, i, j);
            i = j;
        }
    }

    private static void swap(List<Sample> list, int i, int j) {
        Sample t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
    }
}
