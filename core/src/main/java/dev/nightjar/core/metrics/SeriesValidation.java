package dev.nightjar.core.metrics;

/** Bounds on a series' identity that every store enforces on write, before anything is stored. */
public final class SeriesValidation {

    public static final int MAX_LABELS = 64;
    public static final int MAX_LABEL_NAME_LENGTH = 256;
    public static final int MAX_LABEL_VALUE_LENGTH = 4096;

    private SeriesValidation() {}

    /** Throws {@link IllegalArgumentException} naming the first rule the labels break. */
    public static void check(Labels labels) {
        String name = labels.metricName();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("series has no metric name (label __name__)");
        }
        if (!Labels.isValidMetricName(name)) {
            throw new IllegalArgumentException("invalid metric name");
        }
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException(
                    "series has " + labels.size() + " labels, at most " + MAX_LABELS + " allowed");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.name(i).length() > MAX_LABEL_NAME_LENGTH) {
                throw new IllegalArgumentException("label name longer than " + MAX_LABEL_NAME_LENGTH + " characters");
            }
            if (labels.value(i).length() > MAX_LABEL_VALUE_LENGTH) {
                throw new IllegalArgumentException(
                        "value of label " + labels.name(i) + " longer than " + MAX_LABEL_VALUE_LENGTH + " characters");
            }
        }
    }

    /** Rejects selections every series would match, which would scan a whole tenant. */
    public static void checkSelection(java.util.List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw new IllegalArgumentException(
                "a selection needs at least one matcher that does not match the empty string");
    }
}
