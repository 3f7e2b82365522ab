package dev.nightjar.promql;

import dev.nightjar.promql.Values.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus' topk/bottomk selection: Go's container/heap over a group's samples, step for step, so
 * ties and NaNs keep the samples Prometheus keeps. The final ordering uses {@link GoOrder}.
 */
final class GoHeap {

    private GoHeap() {}

    /**
     * topk ({@code BY_VALUE}) or bottomk ({@code BY_VALUE_REVERSED}) of one group, in the order
     * Prometheus returns them: a heap of at most k samples whose top (the weakest kept sample) is
     * replaced when a later sample beats it or is NaN, then sorted strongest first.
     */
    static List<Sample> select(List<Sample> in, long k, GoOrder.Less heapLess) {
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
            GoOrder.sort(heap, GoOrder.reversed(heapLess));
        }
        return heap;
    }

    private static void pop(List<Sample> heap, GoOrder.Less less) {
        int n = heap.size() - 1;
        GoOrder.swap(heap, 0, n);
        down(heap, 0, n, less);
        heap.removeLast();
    }

    private static void up(List<Sample> heap, int j, GoOrder.Less less) {
        while (j > 0) {
            int i = (j - 1) / 2;
            if (!less.less(heap.get(j), heap.get(i))) {
                break;
            }
            GoOrder.swap(heap, i, j);
            j = i;
        }
    }

    private static void down(List<Sample> heap, int i, int n, GoOrder.Less less) {
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
            GoOrder.swap(heap, i, j);
            i = j;
        }
    }
}
