package dev.nightjar.core.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The out-of-order rule every store shares: a sample is accepted when it is no older than the
 * tenant's newest timestamp before the batch minus the window. A batch may therefore backfill freely
 * ahead of that point (a fresh tenant, a catching-up sender), but never rewrite settled history.
 */
public final class OutOfOrderWindow {

    private OutOfOrderWindow() {}

    public static long minValidTime(long tenantMaxTime, Duration window) {
        if (tenantMaxTime == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return tenantMaxTime - window.toMillis();
    }

    /** The samples in timestamp order (stable, so the first of equal timestamps wins). */
    public static List<Sample> sorted(List<Sample> samples) {
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).timestampMs() < samples.get(i - 1).timestampMs()) {
                List<Sample> copy = new ArrayList<>(samples);
                copy.sort(Comparator.comparingLong(Sample::timestampMs));
                return copy;
            }
        }
        return samples;
    }
}
