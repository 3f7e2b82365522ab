package dev.nightjar.promql;

import java.util.Locale;
import java.util.regex.Pattern;

/** Number literals as Go's strconv.ParseFloat reads them (hex, Inf, NaN), and Go's float formatting. */
final class Literals {

    // Compiled once: histogram_quantile parses every bucket's le label at every step.
    private static final Pattern GO_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?");

    private Literals() {}

    static double parseNumber(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        switch (t) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {}
        }
        // As Prometheus: an integer in Go syntax first (a leading 0 means octal, 0x hex), else a float.
        try {
            if (t.startsWith("0x")) {
                return Long.parseLong(t.substring(2), 16);
            }
            if (t.length() > 1 && t.charAt(0) == '0' && t.chars().allMatch(c -> c >= '0' && c <= '7')) {
                return Long.parseLong(t, 8);
            }
        } catch (NumberFormatException e) {
            // too large for int64: read as a float below
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw PromqlException.badData("bad number: \"" + text + "\"");
        }
        if (Double.isInfinite(v) || t.startsWith("0x")) {
            // Go's ParseFloat refuses overflow, and hex without a binary exponent.
            throw PromqlException.badData("error parsing number: \"" + text + "\": value out of range");
        }
        return v;
    }

    /** Go's ParseFloat for label values (histogram buckets); null when not a number. */
    static Double parseGoFloat(String text) {
        String t = text.trim().equals(text) ? text : null;
        if (t == null || t.isEmpty()) {
            return null;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {}
        }
        if (!GO_FLOAT.matcher(lower).matches()) {
            return null;
        }
        double v = Double.parseDouble(t);
        // Go's ParseFloat fails on overflow (1e400), so such a bucket bound is not a number.
        return Double.isInfinite(v) ? null : v;
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest exact digits, never an exponent. */
    static String formatGo(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
