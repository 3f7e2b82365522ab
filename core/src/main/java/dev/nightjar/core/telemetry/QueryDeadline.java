package dev.nightjar.core.telemetry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The time a read may take, bound to the thread that runs it. Stores call {@link #check()} inside their
 * scans (and Lucene's reader wrappers call it while enumerating terms, points and doc values), so a
 * timed-out query stops doing work instead of running on after its caller gave up. Outside {@link
 * #run} there is no deadline and {@link #check()} costs one read of a scoped value.
 *
 * @param limit the time the query was allowed, for the error message
 * @param deadlineNanos {@link System#nanoTime()} at which the query must stop
 */
public record QueryDeadline(Duration limit, long deadlineNanos) {

    private static final ScopedValue<QueryDeadline> CURRENT = ScopedValue.newInstance();

    public QueryDeadline {
        Objects.requireNonNull(limit, "limit");
    }

    /** Runs {@code query} on this thread with a deadline {@code limit} from now. */
    public static <T> T run(Duration limit, Supplier<T> query) {
        QueryDeadline d = new QueryDeadline(limit, System.nanoTime() + limit.toNanos());
        return ScopedValue.where(CURRENT, d).call(query::get);
    }

    /** The deadline of the query running on this thread, or null. */
    public static QueryDeadline current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /** Throws {@link QueryTimeoutException} when the query running on this thread is past its deadline. */
    public static void check() {
        if (CURRENT.isBound()) {
            CURRENT.get().checkNow();
        }
    }

    public boolean expired() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    public void checkNow() {
        if (expired()) {
            throw new QueryTimeoutException(limit);
        }
    }
}
