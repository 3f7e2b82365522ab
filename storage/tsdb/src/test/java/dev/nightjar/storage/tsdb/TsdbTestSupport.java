package dev.nightjar.storage.tsdb;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

final class TsdbTestSupport {

    static final long HOUR = 3_600_000L;
    /** An aligned start so block boundaries are easy to reason about. */
    static final long T0 = 1_700_006_400_000L;

    private TsdbTestSupport() {}

    static Clock fixedClock(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    /** {@code seriesCount} series "m{i=…}", one sample every {@code step} in {@code [from, to)}. */
    static MetricsBatch series(int seriesCount, long from, long to, long step) {
        List<SeriesSamples> out = new ArrayList<>();
        for (int i = 0; i < seriesCount; i++) {
            List<Sample> samples = new ArrayList<>();
            for (long t = from; t < to; t += step) {
                samples.add(new Sample(t, valueAt(i, t)));
            }
            out.add(new SeriesSamples(Labels.of("__name__", "m", "i", Integer.toString(i)), samples));
        }
        return MetricsBatch.of(out);
    }

    static double valueAt(int series, long t) {
        return series * 1000 + (t / 15_000) % 977;
    }

    static Path walSegment(Path root, TenantId tenant) throws IOException {
        try (Stream<Path> files =
                Files.list(root.resolve("tenants").resolve(tenant.toString()).resolve("wal"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wal"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    static List<Path> blockDirs(Path root, TenantId tenant) throws IOException {
        try (Stream<Path> files =
                Files.list(root.resolve("tenants").resolve(tenant.toString()).resolve("blocks"))) {
            return files.sorted().toList();
        }
    }
}
