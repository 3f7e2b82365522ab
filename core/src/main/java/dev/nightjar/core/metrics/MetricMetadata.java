package dev.nightjar.core.metrics;

import java.util.Objects;

/** What a metric family is: its type, help text and unit (the last two may be empty). */
public record MetricMetadata(String family, MetricType type, String help, String unit) {

    public static final int MAX_HELP_LENGTH = 4096;

    public MetricMetadata {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        help = help == null ? "" : help;
        unit = unit == null ? "" : unit;
        if (!Labels.isValidMetricName(family)) {
            throw new IllegalArgumentException("invalid metric family name");
        }
        if (help.length() > MAX_HELP_LENGTH) {
            throw new IllegalArgumentException("help text longer than " + MAX_HELP_LENGTH + " characters");
        }
    }
}
