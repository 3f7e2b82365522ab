package dev.nightjar.core.logs;

/** The six OTLP severity ranges (numbers 1–24) plus {@link #UNSPECIFIED} (0). */
public enum SeverityLevel {
    UNSPECIFIED,
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    private static final SeverityLevel[] VALUES = values();

    /** TRACE for 1–4, DEBUG for 5–8, INFO for 9–12, WARN for 13–16, ERROR for 17–20, FATAL for 21–24. */
    public static SeverityLevel fromNumber(int severityNumber) {
        if (severityNumber < 0 || severityNumber > 24) {
            throw new IllegalArgumentException("severity number " + severityNumber + " is outside 0..24");
        }
        return severityNumber == 0 ? UNSPECIFIED : VALUES[(severityNumber - 1) / 4 + 1];
    }

    /** The lowest severity number of this level (INFO → 9). */
    public int lowestNumber() {
        return this == UNSPECIFIED ? 0 : (ordinal() - 1) * 4 + 1;
    }
}
