package dev.nightjar.storage.testkit.metrics;

import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the metrics store conformance suite. A backend extends every concrete-test class of this
 * package once (as {@code @Nested} classes of one test) and supplies {@link #open}; a gap is an
 * explicit {@code @Test @Disabled("why")} override, never a missing class or test.
 */
public abstract class MetricsConformance {

    protected static final long T0 = 1_700_000_000_000L;

    private final List<MetricsStore> opened = new ArrayList<>();

    /** A fresh, empty store with these limits. */
    protected abstract MetricsStore open(MetricsLimits limits);

    protected MetricsStore store() {
        return store(MetricsLimits.DEFAULT);
    }

    protected MetricsStore store(MetricsLimits limits) {
        MetricsStore store = open(limits);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MetricsStore::close);
    }
}
