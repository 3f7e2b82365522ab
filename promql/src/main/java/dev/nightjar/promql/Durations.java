package dev.nightjar.promql;

/** Prometheus duration literals: {@code 1h30m}, {@code 500ms}, {@code 2w}; units descending, once each. */
final class Durations {

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
    };

    private Durations() {}

    static long parseMillis(String text) {
        long total = 0;
        int i = 0;
        int lastUnit = -1;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw PromqlException.badData("not a valid duration string: \"" + text + "\"");
            }
            long n;
            try {
                n = Long.parseLong(text.substring(start, i));
            } catch (NumberFormatException e) {
                throw PromqlException.badData("duration out of range: \"" + text + "\"");
            }
            int unit = -1;
            if (text.startsWith("ms", i)) {
                unit = 6;
                i += 2;
            } else if (i < text.length()) {
                for (int u = 0; u < 6; u++) {
                    if (text.charAt(i) == UNITS[u].charAt(0)) {
                        unit = u;
                    }
                }
                i++;
            }
            if (unit < 0 || unit <= lastUnit) {
                throw PromqlException.badData("not a valid duration string: \"" + text + "\"");
            }
            lastUnit = unit;
            try {
                total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
            } catch (ArithmeticException e) {
                throw PromqlException.badData("duration out of range: \"" + text + "\"");
            }
        }
        return total;
    }
}
