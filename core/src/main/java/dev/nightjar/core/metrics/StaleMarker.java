package dev.nightjar.core.metrics;

/**
 * Prometheus' staleness marker: a NaN with a specific bit pattern, written when a series disappears,
 * so queries stop returning it at once instead of after the lookback delta. It must be told apart
 * from an ordinary NaN by its bits, never with {@code ==}.
 */
public final class StaleMarker {

    public static final long BITS = 0x7ff0000000000002L;
    public static final double VALUE = Double.longBitsToDouble(BITS);

    private StaleMarker() {}

    public static boolean isStale(double value) {
        return Double.doubleToRawLongBits(value) == BITS;
    }
}
