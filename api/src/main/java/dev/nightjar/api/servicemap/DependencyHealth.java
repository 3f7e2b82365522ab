package dev.nightjar.api.servicemap;

import dev.nightjar.api.servicemap.ServiceMap.HealthScores;
import java.util.List;

/**
 * Scores one dependency (an edge) in [0, 1]. Each score answers one question a user asks about a
 * dependency; the composite weighs the recent past most, so an outage drags it down at once and it climbs
 * back as the failing sub-windows age out of the range instead of staying red for the whole hour.
 */
public final class DependencyHealth {
    /** L7 p95 at or below this is perfect latency... */
    static final double LATENCY_GOOD_SECONDS = 0.1;
    /** ...and at or above this scores zero; in between the score falls linearly. */
    static final double LATENCY_BAD_SECONDS = 1.0;
    /** A retransmit ratio (retransmits per estimated segment) at or above this scores zero. */
    static final double RETRANSMIT_RATIO_BAD = 0.1;
    /** Typical MSS, to estimate segments from bytes: the sensor counts payload bytes, not segments. */
    static final double SEGMENT_BYTES = 1448;
    /** Each older sub-window weighs half as much as the next newer one. */
    static final double DECAY = 0.5;

    private static final double W_RECENT = 0.6;
    private static final double W_LATENCY = 0.2;
    private static final double W_STABILITY = 0.1;
    private static final double W_PACKETS = 0.1;

    private DependencyHealth() {}

    /** What the range says about one dependency; counts are totals over the range. */
    record Totals(
            double attempts,
            double established,
            double timeouts,
            double requests,
            double errors,
            Double p95Seconds,
            double resetsReceived,
            double retransmits,
            double bytes) {}

    /** One sub-window, oldest first: connect attempts and failures, L7 requests and errors. */
    record Window(double attempts, double failedConnects, double requests, double errors) {
        boolean empty() {
            return attempts <= 0 && requests <= 0;
        }

        double success() {
            double connect = attempts > 0 ? 1 - clamp(failedConnects / attempts) : 1;
            double l7 = requests > 0 ? 1 - clamp(errors / requests) : 1;
            return connect * l7;
        }
    }

    static HealthScores score(Totals t, List<Window> windows) {
        Double reliability = t.attempts() > 0 ? clamp(t.established() / t.attempts()) : null;
        Double responsiveness = t.attempts() > 0 ? 1 - clamp(t.timeouts() / t.attempts()) : null;
        Double latency = latency(t.p95Seconds());
        double exchanges = Math.max(t.requests(), t.established());
        Double stability = exchanges > 0 ? 1 - clamp(t.resetsReceived() / exchanges) : null;
        double segments = t.established() + t.bytes() / SEGMENT_BYTES;
        Double packets = segments > 0 ? 1 - clamp(t.retransmits() / segments / RETRANSMIT_RATIO_BAD) : null;
        Double recent = recent(windows);
        if (recent == null && (reliability != null || t.requests() > 0)) {
            // No sub-window saw traffic (e.g. a range shorter than the scrape interval): use the totals.
            recent = (reliability == null ? 1 : reliability)
                    * (t.requests() > 0 ? 1 - clamp(t.errors() / t.requests()) : 1);
        }
        Double composite = weightedGeometric(
                new double[] {W_RECENT, W_LATENCY, W_STABILITY, W_PACKETS}, recent, latency, stability, packets);
        return new HealthScores(reliability, latency, stability, packets, responsiveness, composite);
    }

    static Double latency(Double p95Seconds) {
        if (p95Seconds == null || p95Seconds.isNaN()) {
            return null;
        }
        if (p95Seconds <= LATENCY_GOOD_SECONDS) {
            return 1.0;
        }
        return 1 - clamp((p95Seconds - LATENCY_GOOD_SECONDS) / (LATENCY_BAD_SECONDS - LATENCY_GOOD_SECONDS));
    }

    /** Exponentially weighted success over the sub-windows that saw traffic; the newest weighs most. */
    static Double recent(List<Window> windows) {
        double sum = 0;
        double weights = 0;
        double weight = 1;
        for (int i = windows.size() - 1; i >= 0; i--) {
            Window w = windows.get(i);
            if (!w.empty()) {
                sum += weight * w.success();
                weights += weight;
            }
            weight *= DECAY;
        }
        return weights == 0 ? null : sum / weights;
    }

    /** Geometric mean with weights, over the scores that are known; a single zero makes it zero. */
    private static Double weightedGeometric(double[] weights, Double... scores) {
        double logSum = 0;
        double weightSum = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == null) {
                continue;
            }
            if (scores[i] <= 0) {
                return 0.0;
            }
            logSum += weights[i] * Math.log(scores[i]);
            weightSum += weights[i];
        }
        return weightSum == 0 ? null : Math.exp(logSum / weightSum);
    }

    static double clamp(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return Math.max(0, Math.min(1, v));
    }
}
