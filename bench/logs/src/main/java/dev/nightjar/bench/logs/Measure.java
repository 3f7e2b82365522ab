package dev.nightjar.bench.logs;

import dev.nightjar.core.TenantId;
import dev.nightjar.storage.lucene.LuceneStorageConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every part of the benchmark shares: the tenant, the data's end time, clocks and sizes. */
final class Measure {

    static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000be");
    static final Instant END = Instant.parse("2026-11-22T06:00:00Z");
    static final int BATCH = 1000;

    /** How often the store refreshes its readers (production default: 1 s). */
    static Duration refresh = Duration.ofSeconds(1);

    private Measure() {}

    static LuceneStorageConfig config(Path path) {
        // no background merge pass during the measured writes: the run merges in a step of its own
        return LuceneStorageConfig.defaults(path)
                .withCommitInterval(null)
                .withRefreshInterval(refresh)
                .withLogCompactionInterval(null);
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Runs {@code r} once to warm up, then {@code runs} times, and returns each run's nanoseconds. */
    static long[] time(int runs, Runnable r) {
        r.run();
        long[] out = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            out[i] = System.nanoTime() - t0;
        }
        return out;
    }

    /** The nearest-rank quantile {@code q} of {@code nanos}, in milliseconds. */
    static double ms(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static long size(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
