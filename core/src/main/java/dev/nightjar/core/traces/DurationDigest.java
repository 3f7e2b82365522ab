package dev.nightjar.core.traces;

import java.util.Arrays;

/**
 * Collects span durations for percentiles. Exact up to {@value #EXACT_LIMIT} samples: the q-quantile is
 * the nearest-rank value (the {@code ceil(q·n)}-th smallest). Past that it folds into a log-linear
 * histogram with 128 sub-buckets per power of two, so memory stays bounded (~16 KiB) and a quantile is
 * within 0.8% of the true nearest-rank value. Every backend uses this class, so they agree exactly.
 */
public final class DurationDigest {

    public static final int EXACT_LIMIT = 65_536;
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;

    private long[] exact = new long[16];
    private int size;
    /** Whether {@code exact[0..size)} is sorted: RED asks three quantiles of one digest, one sort serves all. */
    private boolean sorted;

    private long[] buckets;
    private long count;

    public void add(long nanos) {
        long v = Math.max(0, nanos);
        count++;
        if (buckets == null) {
            if (size == exact.length) {
                if (size == EXACT_LIMIT) {
                    toHistogram();
                    buckets[bucketOf(v)]++;
                    return;
                }
                exact = Arrays.copyOf(exact, Math.min(EXACT_LIMIT, size * 2));
            }
            exact[size++] = v;
            sorted = false;
        } else {
            buckets[bucketOf(v)]++;
        }
    }

    public long count() {
        return count;
    }

    /** The q-quantile (0 &lt; q ≤ 1) in nanoseconds, or 0 when empty. */
    public long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        if (buckets == null) {
            if (!sorted) {
                Arrays.sort(exact, 0, size); // the order of added samples is never needed
                sorted = true;
            }
            return exact[(int) Math.min(rank, size) - 1];
        }
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return representative(i);
            }
        }
        return representative(buckets.length - 1);
    }

    private void toHistogram() {
        buckets = new long[64 * SUB];
        for (int i = 0; i < size; i++) {
            buckets[bucketOf(exact[i])]++;
        }
        exact = null;
        size = 0;
    }

    static int bucketOf(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v) - (SUB_BITS - 1); // >= 1 because v >= SUB
        int m = (int) (v >>> exp); // the top SUB_BITS bits: in [SUB/2, SUB)
        return SUB + (exp - 1) * (SUB / 2) + (m - SUB / 2);
    }

    static long representative(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int b = bucket - SUB;
        int exp = b / (SUB / 2) + 1;
        long sub = b % (SUB / 2) + SUB / 2;
        long low = sub << exp;
        long width = 1L << exp;
        return low + width / 2;
    }
}
