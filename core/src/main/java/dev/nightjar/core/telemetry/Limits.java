package dev.nightjar.core.telemetry;

import java.time.Duration;

/** Bounds every query model enforces, so no backend can be asked for unbounded work. */
public final class Limits {

    private Limits() {}

    /** Most records (or spans, or values) one page or answer may hold. */
    public static final int MAX_PAGE_SIZE = 1000;
    /** Longest time range one query may cover. */
    public static final Duration MAX_QUERY_RANGE = Duration.ofDays(32);
    /** Most attribute and numeric filters in one query. */
    public static final int MAX_FILTERS = 32;
    /** Most full-text terms in one query. */
    public static final int MAX_TERMS = 16;
    /** Longest full-text term, in characters. */
    public static final int MAX_TERM_LENGTH = 1024;
    /** Longest attribute key a filter may name. */
    public static final int MAX_KEY_LENGTH = 256;
    /** Longest value an exact filter may compare. */
    public static final int MAX_VALUE_LENGTH = 65_536;
    /** Most buckets one histogram may have. */
    public static final int MAX_HISTOGRAM_BUCKETS = 10_000;
    /** Narrowest histogram bucket. */
    public static final Duration MIN_BUCKET = Duration.ofMillis(1);
    /** Most spans one trace-by-id answer returns (the earliest by start time). */
    public static final int MAX_TRACE_SPANS = 50_000;
}
