package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.MetricsStore;
import dev.nightjar.storage.testkit.metrics.MetricsStoreConformanceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class TsdbConformanceTest extends MetricsStoreConformanceTest {

    @TempDir
    Path root;

    @Override
    protected MetricsStore open(MetricsLimits limits) {
        try {
            return Tsdb.open(Files.createTempDirectory(root, "tsdb"), TsdbOptions.DEFAULT.withLimits(limits));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
