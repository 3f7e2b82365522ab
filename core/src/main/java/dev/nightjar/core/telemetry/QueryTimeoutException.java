package dev.nightjar.core.telemetry;

import java.time.Duration;

/**
 * A read ran past its {@link QueryDeadline} and was stopped by the store itself, so the work it was doing
 * ended with it. The caller's fault in the sense that a narrower range or more filters would finish: not
 * worth retrying unchanged.
 */
public class QueryTimeoutException extends StorageException {

    private final Duration limit;

    public QueryTimeoutException(Duration limit) {
        super("the query ran longer than its limit of " + describe(limit) + " and was stopped;"
                + " narrow the time range or add filters");
        this.limit = limit;
    }

    /** The time the query was allowed. */
    public Duration limit() {
        return limit;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
