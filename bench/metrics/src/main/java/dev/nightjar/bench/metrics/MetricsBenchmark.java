package dev.nightjar.bench.metrics;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsBatch;
import dev.nightjar.core.metrics.MetricsLimits;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.promql.PromqlEngine;
import dev.nightjar.promql.QueryResult;
import dev.nightjar.storage.testkit.metrics.FleetWorkload;
import dev.nightjar.storage.testkit.metrics.prometheus.PrometheusServer;
import dev.nightjar.storage.tsdb.Tsdb;
import dev.nightjar.storage.tsdb.TsdbOptions;
import dev.nightjar.storage.tsdb.TsdbStats;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads the same workload into Nightjar's TSDB (in process) and into Prometheus (remote write),
 * then prints bytes per sample in compacted blocks, ingest rates and dashboard query latencies of
 * both, side by side.
 */
public final class MetricsBenchmark {

    private static final long T0 = 1_699_920_000_000L; // 2023-11-14T00:00Z, aligned to 2 h
    private static final long SLICE = 10 * 60_000;

    public static void main(String[] args) throws Exception {
        int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        long end = T0 + hours * 3_600_000L;
        Path work = Files.createTempDirectory("nightjar-bench-metrics");
        FleetWorkload workload = new FleetWorkload(seriesCount, T0);
        System.out.printf(
                "workload: %d series, %d h at 15 s, cores=%d%n",
                workload.seriesCount(), hours, Runtime.getRuntime().availableProcessors());

        TenantId tenant = TenantId.of(UUID.randomUUID());
        TsdbOptions options = TsdbOptions.DEFAULT
                .withLimits(new MetricsLimits(10_000_000, Duration.ofMinutes(10)))
                .withRetention(t -> Duration.ofDays(3650));
        long samples = 0;
        long nightjarNanos = 0;
        long prometheusNanos = 0;
        try (Tsdb tsdb = Tsdb.open(work.resolve("nightjar"), options);
                PrometheusServer prometheus = PrometheusServer.start(work.resolve("prometheus"), FreePorts.next())) {
            for (long from = T0; from < end; from += SLICE) {
                List<SeriesSamples> slice = workload.slice(from, from + SLICE);
                MetricsBatch batch = MetricsBatch.of(slice);
                samples += batch.sampleCount();
                long a = System.nanoTime();
                tsdb.append(tenant, batch);
                long b = System.nanoTime();
                prometheus.remoteWrite(slice, 1000);
                long c = System.nanoTime();
                nightjarNanos += b - a;
                prometheusNanos += c - b;
            }
            System.out.printf("ingest: %,d samples%n", samples);
            System.out.printf(
                    "  nightjar   %,12.0f samples/s (in-process append, WAL fsync per batch)%n",
                    samples / (nightjarNanos / 1e9));
            System.out.printf(
                    "  prometheus %,12.0f samples/s (remote write over loopback, encoding included)%n",
                    samples / (prometheusNanos / 1e9));

            tsdb.maintain();
            waitForPrometheusCompaction(work.resolve("prometheus"));
            TsdbStats stats = tsdb.stats(tenant);
            long[] prom = prometheusBlocks(work.resolve("prometheus"));
            System.out.printf("blocks after compaction (head excluded):%n");
            System.out.printf(
                    "  nightjar   %d blocks, %,d samples, %,d bytes = %.3f bytes/sample%n",
                    stats.blocks(),
                    stats.blockSamples(),
                    stats.blockBytes(),
                    stats.blockBytes() / (double) stats.blockSamples());
            System.out.printf(
                    "  prometheus %d blocks, %,d samples, %,d bytes = %.3f bytes/sample%n",
                    prom[0], prom[1], prom[2], prom[2] / (double) prom[1]);

            PromqlEngine engine = new PromqlEngine();
            String[] queries = {
                "sum by (job) (rate(http_requests_total[5m]))",
                "sum by (code) (rate(http_requests_total{job=\"svc-7\"}[5m]))",
                "histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket{job=\"svc-7\"}[5m])))",
                "histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket[5m])))",
            };
            System.out.println(
                    "range query latency, median of 5 after 1 warm-up (nightjar in process, prometheus over HTTP):");
            for (String q : queries) {
                for (long window : new long[] {3_600_000L, 24 * 3_600_000L}) {
                    if (window > end - T0) {
                        continue;
                    }
                    long qStart = end - window;
                    long step = window <= 3_600_000L ? 15_000 : 300_000;
                    double nj = median(() -> engine.rangeQuery(tsdb, tenant, q, qStart, end, step));
                    double pr = median(() -> prometheus.range(q, qStart, end, step));
                    QueryResult.MatrixResult check = engine.rangeQuery(tsdb, tenant, q, qStart, end, step);
                    System.out.printf(
                            "  %-4s step %-4s nightjar %8.1f ms  prometheus %8.1f ms  (%d series)  %s%n",
                            window / 3_600_000 + "h",
                            step / 1000 + "s",
                            nj,
                            pr,
                            check.series().size(),
                            q);
                }
            }
        }
        try (Stream<Path> walk = Files.walk(work)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private interface Run {
        Object run() throws Exception;
    }

    private static double median(Run run) throws Exception {
        run.run();
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long a = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - a) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    /** Waits until Prometheus' block set has not changed for 15 s (its compactor runs every minute). */
    private static void waitForPrometheusCompaction(Path work) throws IOException, InterruptedException {
        String last = "";
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            String now = Arrays.toString(blockNames(work));
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(75).toNanos()) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    private static String[] blockNames(Path work) throws IOException {
        try (Stream<Path> entries = Files.list(work.resolve("prometheus").resolve("data"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("01"))
                    .sorted()
                    .toArray(String[]::new);
        } catch (java.nio.file.NoSuchFileException e) {
            try (Stream<Path> entries = Files.list(work.resolve("data"))) {
                return entries.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("01"))
                        .sorted()
                        .toArray(String[]::new);
            }
        }
    }

    /** {blocks, samples, bytes} of Prometheus' persisted blocks, from their meta.json. */
    private static long[] prometheusBlocks(Path work) throws IOException {
        Path data = work.resolve("data");
        Pattern numSamples = Pattern.compile("\"numSamples\":\\s*(\\d+)");
        long blocks = 0;
        long samples = 0;
        long bytes = 0;
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> entries = Files.list(data)) {
            entries.filter(p -> p.getFileName().toString().startsWith("01")).forEach(dirs::add);
        }
        for (Path dir : dirs) {
            Path meta = dir.resolve("meta.json");
            if (!Files.exists(meta)) {
                continue;
            }
            Matcher m = numSamples.matcher(Files.readString(meta));
            if (m.find()) {
                blocks++;
                samples += Long.parseLong(m.group(1));
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        bytes += Files.size(f);
                    }
                }
            }
        }
        return new long[] {blocks, samples, bytes};
    }
}
