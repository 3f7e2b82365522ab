package dev.nightjar.api.jaeger;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jaeger's duration parameters, Go's {@code time.ParseDuration} subset: {@code 1.5s}, {@code 100ms}, {@code 250us}. */
final class JaegerDurations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private JaegerDurations() {}

    static Duration parse(String name, String text) {
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must look like 100ms, 1.5s or 250us");
        }
        double n = Double.parseDouble(m.group(1));
        double nanos = switch (m.group(2)) {
            case "ns" -> n;
            case "us", "µs" -> n * 1e3;
            case "ms" -> n * 1e6;
            case "s" -> n * 1e9;
            case "m" -> n * 60e9;
            default -> n * 3600e9;
        };
        if (nanos > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException(name + " is too long");
        }
        return Duration.ofNanos((long) nanos);
    }
}
