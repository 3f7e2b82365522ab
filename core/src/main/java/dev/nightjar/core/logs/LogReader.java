package dev.nightjar.core.logs;

import dev.nightjar.core.TenantId;
import java.util.List;

/** Reads one tenant's log records. Thread-safe; sees what {@link LogWriter} wrote once it is visible. */
public interface LogReader {

    /** A newest-first page of matching records. */
    LogPage search(TenantId tenant, LogQuery query);

    /** Counts per time bucket and severity level. */
    LogHistogram histogram(TenantId tenant, LogHistogramQuery query);

    /** The most frequent values of a field. */
    List<ValueCount> topValues(TenantId tenant, TopValuesQuery query);
}
