package dev.nightjar.bench.logs;

import static dev.nightjar.bench.logs.Measure.BATCH;
import static dev.nightjar.bench.logs.Measure.END;
import static dev.nightjar.bench.logs.Measure.TENANT;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.storage.lucene.LuceneStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Logs and traces datastore benchmark: Nightjar's Lucene store next to a raw Lucene IndexWriter, in one
 * run, on the same generated records. Prints a Markdown block for bench/RESULTS.md. See README.md.
 */
public final class LogsBench {

    private final int logs;
    private final int spans;
    private final int threads;
    private final int spanHours;
    private final Path dir;
    private final boolean skipRaw;
    /** Only measure the log block codec at several zstd levels (no store, no peer). */
    private final boolean zstdLevels;
    /** Generate while writing, holding no records (for sizes the heap cannot hold); no raw peer. */
    private final boolean stream;

    private final Report report = new Report();

    private LogsBench(Map<String, String> args) {
        this.logs = Integer.parseInt(args.getOrDefault("--logs", "2000000"));
        this.spans = Integer.parseInt(args.getOrDefault("--spans", "1000000"));
        this.threads = Integer.parseInt(args.getOrDefault("--threads", "2"));
        this.spanHours = Integer.parseInt(args.getOrDefault("--span-hours", "1"));
        this.dir = Path.of(args.getOrDefault(
                "--dir",
                Path.of(System.getProperty("java.io.tmpdir"), "nightjar-bench-logs")
                        .toString()));
        this.skipRaw = Boolean.parseBoolean(args.getOrDefault("--skip-raw", "false"));
        this.zstdLevels = Boolean.parseBoolean(args.getOrDefault("--zstd-levels", "false"));
        this.stream = Boolean.parseBoolean(args.getOrDefault("--stream", "false"));
        if (args.containsKey("--refresh-ms")) {
            Measure.refresh = Duration.ofMillis(Long.parseLong(args.get("--refresh-ms")));
        }
        if (spanHours < 1 || spanHours > 24) {
            throw new IllegalArgumentException("--span-hours must be 1 to 24");
        }
    }

    private static final Set<String> OPTIONS = Set.of(
            "--logs",
            "--spans",
            "--threads",
            "--span-hours",
            "--dir",
            "--refresh-ms",
            "--skip-raw",
            "--zstd-levels",
            "--stream");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("an option without a value: " + args[args.length - 1]);
        }
        new LogsBench(options).run();
    }

    private void run() throws Exception {
        Measure.deleteTree(dir);
        Files.createDirectories(dir);
        report.line(
                "machine: %d cores, JVM %s, max heap %d MiB; %d writer threads; batches of %d; load average before %.1f",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                threads,
                BATCH,
                Measure.load());
        if (stream) {
            if (logs > 0) {
                LogStream.run(report, logs, dir);
            }
            if (spans > 0) {
                new SpansBench(report, spans, threads, spanHours, dir).streamed();
            }
            report.writeTo(dir.resolve("results.md"));
            return;
        }
        if (logs > 0) {
            logsBench();
        }
        if (spans > 0 && !zstdLevels) {
            new SpansBench(report, spans, threads, spanHours, dir).inMemory();
        }
        report.writeTo(dir.resolve("results.md"));
    }

    private void logsBench() throws Exception {
        // ---- generate ----
        long needleEvery = Math.max(1000, logs / 200);
        List<List<LogRecord>> batches = generateLogs(new Generator(7), logs, needleEvery);
        long jsonBytes = 0;
        long standaloneBytes = 0;
        for (List<LogRecord> b : batches) {
            jsonBytes += OtlpJson.batchBytes(b);
            standaloneBytes += OtlpJson.standalone(b.getFirst()).length;
        }
        double jsonPerRecord = (double) jsonBytes / logs;
        report.line(
                "generated %,d log records over 24 h (25 services x 2 namespaces x 3 pods, 4 resources per batch)",
                logs);
        report.line(
                "OTLP-JSON size: %.0f B/record in export batches of %d (standalone record with its resource: %.0f B)",
                jsonPerRecord, BATCH, (double) standaloneBytes / batches.size());

        if (zstdLevels) {
            // the first round warms the codec up; the second is printed
            List<List<LogRecord>> sample = batches.subList(0, Math.min(200, batches.size()));
            dev.nightjar.storage.lucene.ZstdLevels.measure(sample);
            report.line("");
            report.line(
                    "| log block codec, %,d records | bytes before the index; encoding CPU |", sample.size() * BATCH);
            report.line("|---|---|");
            dev.nightjar.storage.lucene.ZstdLevels.measure(sample).forEach(l -> report.line("%s", l));
            // blocks as the log compaction writes them (4 batches each)
            dev.nightjar.storage.lucene.ZstdLevels.measureMerged(sample, 4);
            report.line("");
            report.line(
                    "| merged log blocks of 4,000 records, %,d records | bytes before the index; encoding CPU |",
                    sample.size() / 4 * 4 * BATCH);
            report.line("|---|---|");
            dev.nightjar.storage.lucene.ZstdLevels.measureMerged(sample, 4).forEach(l -> report.line("%s", l));
            return;
        }
        // ---- warm up both writers on a slice, then measure ----
        List<List<LogRecord>> warm = batches.subList(0, Math.min(batches.size(), 100));
        try (LuceneStorage s = new LuceneStorage(Measure.config(dir.resolve("warm-nj")))) {
            writeLogs(s, warm);
        }
        try (RawLucene raw = new RawLucene(dir.resolve("warm-raw"))) {
            writeRaw(raw, warm);
        }

        Path njDir = dir.resolve("nightjar");
        double njRate;
        double njCpuRate;
        try (LuceneStorage store = new LuceneStorage(Measure.config(njDir))) {
            double load0 = Measure.load();
            long c0 = Measure.cpuNanos();
            long t0 = System.nanoTime();
            writeLogs(store, batches);
            long t1 = System.nanoTime();
            store.commit();
            long t2 = System.nanoTime();
            long c2 = Measure.cpuNanos();
            njRate = logs / ((t1 - t0) / 1e9);
            double njDurable = logs / ((t2 - t0) / 1e9);
            njCpuRate = logs / ((c2 - c0) / 1e9);
            store.flush();
            long bytes = Measure.size(
                    njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"));
            report.line("");
            report.line("| logs | figure |");
            report.line("|---|---|");
            report.line(
                    "| Nightjar Lucene store, write | **%,.0f records/s** wall (%,.0f records/s including the final commit); "
                            + "%,.0f records per CPU-second; load average before %.1f |",
                    njRate, njDurable, njCpuRate, load0);
            report.line(
                    "| Nightjar bytes on disk | %.1f B/record = **%.3f x OTLP-JSON** (%,d MiB for %,d records) |",
                    (double) bytes / logs, bytes / (jsonPerRecord * logs), bytes >> 20, logs);
            Compaction.run(
                    report,
                    store,
                    njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"),
                    logs,
                    jsonPerRecord * logs);
            LogQueries.run(report, store, logs, needleEvery);
        }
        Compaction.closed(
                report,
                njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"),
                logs,
                jsonPerRecord * logs);
        if (skipRaw) {
            return;
        }
        Path rawDir = dir.resolve("raw");
        double rawRate;
        double rawCpuRate;
        double rawLoad;
        try (RawLucene raw = new RawLucene(rawDir)) {
            rawLoad = Measure.load();
            long c0 = Measure.cpuNanos();
            long t0 = System.nanoTime();
            writeRaw(raw, batches);
            long t1 = System.nanoTime();
            raw.commit();
            long c2 = Measure.cpuNanos();
            rawRate = logs / ((t1 - t0) / 1e9);
            rawCpuRate = logs / ((c2 - c0) / 1e9);
        }
        long rawBytes = Measure.size(rawDir);
        report.line(
                "| raw Lucene IndexWriter (peer), write | %,.0f records/s wall, %,.0f records per CPU-second (load before %.1f); "
                        + "Nightjar = **%.2f x raw** by wall time, **%.2f x raw** by CPU time |",
                rawRate, rawCpuRate, rawLoad, njRate / rawRate, njCpuRate / rawCpuRate);
        report.line(
                "| raw Lucene bytes on disk | %.1f B/record = %.3f x OTLP-JSON |",
                (double) rawBytes / logs, rawBytes / (jsonPerRecord * logs));
        batches = null;
        System.gc();
    }

    private List<List<LogRecord>> generateLogs(Generator g, int n, long needleEvery) {
        long start = Timestamps.toNanos(END.minus(Duration.ofHours(24)));
        long step = Duration.ofHours(24).toNanos() / n;
        List<List<LogRecord>> batches = new ArrayList<>();
        for (int i = 0; i < n; i += BATCH) {
            int size = Math.min(BATCH, n - i);
            batches.add(g.logBatch(size, start + i * step, step, needleEvery, i, 4));
        }
        return batches;
    }

    private void writeLogs(LuceneStorage store, List<List<LogRecord>> batches) throws Exception {
        Parallel.run(threads, batches, b -> store.logWriter().write(TENANT, b));
    }

    private void writeRaw(RawLucene raw, List<List<LogRecord>> batches) throws Exception {
        Parallel.run(threads, batches, b -> {
            for (LogRecord r : b) {
                raw.add(r);
            }
        });
    }
}
