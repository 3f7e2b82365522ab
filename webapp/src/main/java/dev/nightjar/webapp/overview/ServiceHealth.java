package dev.nightjar.webapp.overview;

import dev.nightjar.core.traces.RedStats;
import java.time.Duration;
import java.util.List;

/**
 * One row of the overview: a service's RED over the whole window plus its request rate per bucket
 * (the sparkline), and a health verdict from its error ratio and how it moved in the last bucket.
 */
record ServiceHealth(RedStats red, List<Double> ratePerBucket, List<Double> errorRatioPerBucket, Level level) {
    static final double WARN_ERROR_RATIO = 0.01;
    static final double CRITICAL_ERROR_RATIO = 0.05;

    enum Level {
        OK,
        WARNING,
        CRITICAL
    }

    static Level levelOf(double errorRatio) {
        if (errorRatio >= CRITICAL_ERROR_RATIO) {
            return Level.CRITICAL;
        }
        return errorRatio >= WARN_ERROR_RATIO ? Level.WARNING : Level.OK;
    }

    /**
     * An error spike: the newest bucket's error ratio is at least {@link #WARN_ERROR_RATIO} and at least
     * twice the ratio over the earlier buckets.
     */
    boolean errorSpike() {
        if (errorRatioPerBucket.size() < 2) {
            return false;
        }
        double last = errorRatioPerBucket.getLast();
        double earlier = errorRatioPerBucket.subList(0, errorRatioPerBucket.size() - 1).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(0);
        return last >= WARN_ERROR_RATIO && last >= 2 * earlier;
    }

    static String formatDuration(Duration d) {
        if (d == null) {
            return "–";
        }
        long micros = d.toNanos() / 1000;
        if (micros < 1000) {
            return micros + " µs";
        }
        if (micros < 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%.2f s", micros / 1_000_000.0);
    }
}
