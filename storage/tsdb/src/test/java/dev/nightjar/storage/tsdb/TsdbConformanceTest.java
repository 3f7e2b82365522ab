package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.storage.testkit.metrics.MetricsAppendConformance;
import dev.nightjar.storage.testkit.metrics.MetricsQueryConformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The TSDB runs the whole metrics conformance suite, each store in its own directory. */
class TsdbConformanceTest {

    @TempDir
    Path root;

    MetricsStore create(MetricsLimits limits) {
        try {
            return Tsdb.open(Files.createTempDirectory(root, "tsdb"), TsdbOptions.DEFAULT.withLimits(limits));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Nested
    class Queries extends MetricsQueryConformance {
        @Override
        protected MetricsStore open(MetricsLimits limits) {
            return create(limits);
        }
    }

    @Nested
    class Appends extends MetricsAppendConformance {
        @Override
        protected MetricsStore open(MetricsLimits limits) {
            return create(limits);
        }
    }
}
