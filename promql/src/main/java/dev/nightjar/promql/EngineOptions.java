package dev.nightjar.promql;

import java.time.Duration;

/**
 * Engine limits and defaults (Prometheus' defaults unless noted).
 *
 * @param lookbackDelta how far back an instant selector looks for a sample (5 min)
 * @param timeout wall-clock budget of one query (2 min)
 * @param maxSamples samples one query may load into memory (50 M)
 * @param defaultSubqueryStep step of a subquery written without one (1 min, the default
 *     evaluation interval)
 * @param maxPoints most steps a range query may have (11 000)
 */
public record EngineOptions(
        Duration lookbackDelta, Duration timeout, long maxSamples, Duration defaultSubqueryStep, int maxPoints) {

    public static final EngineOptions DEFAULT =
            new EngineOptions(Duration.ofMinutes(5), Duration.ofMinutes(2), 50_000_000, Duration.ofMinutes(1), 11_000);

    public EngineOptions {
        if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
            throw new IllegalArgumentException("lookback delta must be positive");
        }
        if (defaultSubqueryStep.toMillis() <= 0) {
            throw new IllegalArgumentException("default subquery step must be positive");
        }
    }

    public EngineOptions withTimeout(Duration value) {
        return new EngineOptions(lookbackDelta, value, maxSamples, defaultSubqueryStep, maxPoints);
    }

    public EngineOptions withMaxSamples(long value) {
        return new EngineOptions(lookbackDelta, timeout, value, defaultSubqueryStep, maxPoints);
    }
}
