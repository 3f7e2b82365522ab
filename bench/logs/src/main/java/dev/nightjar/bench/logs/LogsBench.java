package dev.nightjar.bench.logs;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.storage.lucene.LuceneStorage;
import dev.nightjar.storage.lucene.LuceneStorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Logs and traces datastore benchmark: Nightjar's Lucene store next to a raw Lucene IndexWriter, in one
 * run, on the same generated records. Prints a Markdown block for bench/RESULTS.md. See README.md.
 */
public final class LogsBench {

    private static final TenantId TENANT = TenantId.parse("00000000-0000-4000-8000-0000000000be");
    private static final Instant END = Instant.parse("2026-11-22T06:00:00Z");
    private static final int BATCH = 1000;

    private final int logs;
    private final int spans;
    private final int threads;
    private final Path dir;
    static boolean skipRaw;
    /** Only measure the log block codec at several zstd levels (no store, no peer). */
    static boolean zstdLevels;
    /** Generate while writing, holding no records (for sizes the heap cannot hold); logs queries only. */
    static boolean stream;

    private final StringBuilder report = new StringBuilder();

    private LogsBench(int logs, int spans, int threads, Path dir) {
        this.logs = logs;
        this.spans = spans;
        this.threads = threads;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int logs = 2_000_000;
        int spans = 1_000_000;
        int threads = 2;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "nightjar-bench-logs");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--logs" -> logs = Integer.parseInt(args[i + 1]);
                case "--spans" -> spans = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--refresh-ms" -> refresh = Duration.ofMillis(Long.parseLong(args[i + 1]));
                case "--skip-raw" -> skipRaw = Boolean.parseBoolean(args[i + 1]);
                case "--zstd-levels" -> zstdLevels = Boolean.parseBoolean(args[i + 1]);
                case "--stream" -> stream = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        new LogsBench(logs, spans, threads, dir).run();
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }

    private void run() throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir);
        line(
                "machine: %d cores, JVM %s, max heap %d MiB; %d writer threads; batches of %d",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                threads,
                BATCH);

        if (stream) {
            streamLogs();
            Files.writeString(dir.resolve("results.md"), report);
            return;
        }
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
        line("generated %,d log records over 24 h (25 services x 2 namespaces x 3 pods, 4 resources per batch)", logs);
        line(
                "OTLP-JSON size: %.0f B/record in export batches of %d (standalone record with its resource: %.0f B)",
                jsonPerRecord, BATCH, (double) standaloneBytes / batches.size());

        if (zstdLevels) {
            // the first round warms the codec up; the second is printed
            List<List<LogRecord>> sample = batches.subList(0, Math.min(200, batches.size()));
            dev.nightjar.storage.lucene.ZstdLevels.measure(sample);
            line("");
            line("| log block codec, %,d records | bytes before the index; encoding CPU |", sample.size() * BATCH);
            line("|---|---|");
            dev.nightjar.storage.lucene.ZstdLevels.measure(sample).forEach(this::line);
            return;
        }
        // ---- warm up both writers on a slice, then measure ----
        List<List<LogRecord>> warm = batches.subList(0, Math.min(batches.size(), 100));
        try (LuceneStorage s = new LuceneStorage(config(dir.resolve("warm-nj")))) {
            writeLogs(s, warm);
        }
        try (RawLucene raw = new RawLucene(dir.resolve("warm-raw"))) {
            writeRaw(raw, warm);
        }

        Path njDir = dir.resolve("nightjar");
        double njRate;
        double njDurable;
        double njCpuRate;
        try (LuceneStorage store = new LuceneStorage(config(njDir))) {
            double load0 = load();
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            writeLogs(store, batches);
            long t1 = System.nanoTime();
            store.commit();
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            njRate = logs / ((t1 - t0) / 1e9);
            njDurable = logs / ((t2 - t0) / 1e9);
            njCpuRate = logs / ((c2 - c0) / 1e9);
            store.flush();
            long bytes =
                    size(njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"));
            line("");
            line("| logs | figure |");
            line("|---|---|");
            line(
                    "| Nightjar Lucene store, write | **%,.0f records/s** wall (%,.0f records/s including the final commit); "
                            + "%,.0f records per CPU-second; load average before %.1f |",
                    njRate, njDurable, njCpuRate, load0);
            line(
                    "| Nightjar bytes on disk | %.1f B/record = **%.3f x OTLP-JSON** (%,d MiB for %,d records) |",
                    (double) bytes / logs, bytes / (jsonPerRecord * logs), bytes >> 20, logs);
            queries(store, needleEvery);
        }
        Path rawDir = dir.resolve("raw");
        double rawRate;
        if (skipRaw) {
            spansBench();
            return;
        }
        double rawCpuRate;
        double rawLoad;
        try (RawLucene raw = new RawLucene(rawDir)) {
            rawLoad = load();
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            writeRaw(raw, batches);
            long t1 = System.nanoTime();
            raw.commit();
            long c2 = cpuNanos();
            rawRate = logs / ((t1 - t0) / 1e9);
            rawCpuRate = logs / ((c2 - c0) / 1e9);
        }
        long rawBytes = size(rawDir);
        line(
                "| raw Lucene IndexWriter (peer), write | %,.0f records/s wall, %,.0f records per CPU-second (load before %.1f); "
                        + "Nightjar = **%.2f x raw** by wall time, **%.2f x raw** by CPU time |",
                rawRate, rawCpuRate, rawLoad, njRate / rawRate, njCpuRate / rawCpuRate);
        line(
                "| raw Lucene bytes on disk | %.1f B/record = %.3f x OTLP-JSON |",
                (double) rawBytes / logs, rawBytes / (jsonPerRecord * logs));
        batches = null;
        System.gc();

        spansBench();
        Files.writeString(dir.resolve("results.md"), report);
        System.out.println("\nwritten to " + dir.resolve("results.md"));
    }

    /**
     * The logs part for record counts whose records do not fit in the heap: this thread generates batches
     * while one writer thread writes them. The write rate then includes generation on the same cores, so
     * only the bytes and the query figures are comparable with a normal run.
     */
    private void streamLogs() throws Exception {
        long needleEvery = Math.max(1000, logs / 200);
        Generator g = new Generator(7);
        long start = Timestamps.toNanos(END.minus(Duration.ofHours(24)));
        long step = Duration.ofHours(24).toNanos() / logs;
        Path njDir = dir.resolve("nightjar-stream");
        java.util.concurrent.BlockingQueue<List<LogRecord>> queue = new java.util.concurrent.ArrayBlockingQueue<>(8);
        long jsonBytes = 0;
        try (LuceneStorage store = new LuceneStorage(config(njDir))) {
            Exception[] failure = new Exception[1];
            Thread writer = new Thread(() -> {
                try {
                    for (List<LogRecord> b = queue.take(); !b.isEmpty(); b = queue.take()) {
                        store.logWriter().write(TENANT, b);
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            long t0 = System.nanoTime();
            writer.start();
            for (int i = 0; i < logs && failure[0] == null; i += BATCH) {
                List<LogRecord> b = g.logBatch(Math.min(BATCH, logs - i), start + i * step, step, needleEvery, i, 4);
                jsonBytes += OtlpJson.batchBytes(b);
                queue.put(b);
            }
            queue.put(List.of());
            writer.join();
            if (failure[0] != null) {
                throw failure[0];
            }
            store.commit();
            long t1 = System.nanoTime();
            store.flush();
            long bytes =
                    size(njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"));
            line("");
            line("| logs, streamed (%,d records) | figure |", logs);
            line("|---|---|");
            line(
                    "| generate + write + commit, one writer thread | %,.0f records/s (generation on the same cores) |",
                    logs / ((t1 - t0) / 1e9));
            line(
                    "| Nightjar bytes on disk | %.1f B/record = **%.3f x OTLP-JSON** (%.0f B/record OTLP-JSON) |",
                    (double) bytes / logs, bytes / (double) jsonBytes, (double) jsonBytes / logs);
            queries(store, needleEvery);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static Duration refresh = Duration.ofSeconds(1);

    private static LuceneStorageConfig config(Path path) {
        return LuceneStorageConfig.defaults(path).withCommitInterval(null).withRefreshInterval(refresh);
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

    interface BatchSink<T> {
        void write(List<T> batch) throws IOException;
    }

    private <T> void parallel(List<List<T>> batches, BatchSink<T> sink) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                        sink.write(batches.get(i));
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void writeLogs(LuceneStorage store, List<List<LogRecord>> batches) throws Exception {
        parallel(batches, b -> store.logWriter().write(TENANT, b));
    }

    private void writeRaw(RawLucene raw, List<List<LogRecord>> batches) throws Exception {
        parallel(batches, b -> {
            for (LogRecord r : b) {
                raw.add(r);
            }
        });
    }

    private void queries(LuceneStorage store, long needleEvery) {
        TimeRange all = new TimeRange(END.minus(Duration.ofHours(25)), END.plusSeconds(60));
        int needles = (int) (logs / needleEvery);
        long[] needleNs = new long[needles];
        for (int round = 0; round < 2; round++) { // first round warms up
            for (int k = 0; k < needles; k++) {
                LogQuery q = LogQuery.of(
                        LogFilter.builder(all).term(Generator.needle(k)).build(), 100);
                long t0 = System.nanoTime();
                int found = store.logReader().search(TENANT, q).records().size();
                needleNs[k] = System.nanoTime() - t0;
                if (found != 1) {
                    throw new IllegalStateException("needle " + k + " found " + found + " times");
                }
            }
        }
        line(
                "| needle full-text search, 25 h range, %,d records | p50 **%.1f ms**, p99 %.1f ms (%d distinct needles) |",
                logs, ms(needleNs, 0.5), ms(needleNs, 0.99), needles);

        TimeRange lastHour = new TimeRange(END.minus(Duration.ofHours(1)), END);
        long[] page = time(
                50,
                () -> store.logReader()
                        .search(
                                TENANT,
                                LogQuery.of(
                                        LogFilter.builder(all)
                                                .resource("service.name", "checkout")
                                                .severity(SeverityLevel.ERROR)
                                                .build(),
                                        100)));
        line("| newest 100 of service.name=checkout AND level=ERROR, 25 h | p50 %.1f ms |", ms(page, 0.5));
        long[] broad = time(50, () -> store.logReader().search(TENANT, LogQuery.of(LogFilter.of(all), 100)));
        line("| newest 100 records, no filter, 25 h | p50 %.1f ms |", ms(broad, 0.5));
        long[] hist = time(
                20,
                () -> store.logReader()
                        .histogram(TENANT, new LogHistogramQuery(LogFilter.of(lastHour), Duration.ofMinutes(1))));
        line("| histogram 1 h x 1 min x severity (~%,d records) | p50 %.1f ms |", logs / 24, ms(hist, 0.5));
        long[] top = time(
                20,
                () -> store.logReader()
                        .topValues(
                                TENANT,
                                new TopValuesQuery(LogFilter.of(lastHour), FieldRef.resource("k8s.pod.name"), 10)));
        line("| top 10 k8s.pod.name, 1 h | p50 %.1f ms |", ms(top, 0.5));
    }

    private void spansBench() throws Exception {
        Generator g = new Generator(11);
        long start = Timestamps.toNanos(END.minus(Duration.ofHours(1)));
        long avgTrace = 9;
        long step = Duration.ofHours(1).toNanos() / (spans / avgTrace);
        List<List<Span>> batches = new ArrayList<>();
        List<TraceId> sample = new ArrayList<>();
        List<Span> cur = new ArrayList<>();
        int total = 0;
        long t = start;
        SplittableRandom rnd = new SplittableRandom(3);
        while (total < spans) {
            List<Span> trace = g.trace(t);
            t += step;
            if (rnd.nextInt(100) == 0) {
                sample.add(trace.getFirst().traceId());
            }
            cur.addAll(trace);
            total += trace.size();
            if (cur.size() >= BATCH) {
                batches.add(cur);
                cur = new ArrayList<>();
            }
        }
        if (!cur.isEmpty()) {
            batches.add(cur);
        }
        Path spanDir = dir.resolve("nightjar-spans");
        line("");
        line("| traces (%,d spans in 1 h, %,d traces of 3–15 spans) | figure |", total, total / avgTrace);
        line("|---|---|");
        try (LuceneStorage store = new LuceneStorage(config(spanDir))) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            parallel(batches, b -> store.spanWriter().write(TENANT, b));
            long t1 = System.nanoTime();
            store.commit();
            long c1 = cpuNanos();
            store.flush();
            line(
                    "| Nightjar span write | **%,.0f spans/s** wall; %,.0f spans per CPU-second |",
                    total / ((t1 - t0) / 1e9), total / ((c1 - c0) / 1e9));
            line("| span bytes on disk | %.1f B/span |", (double) size(spanDir) / total);
            long[] byId = new long[Math.min(2000, sample.size())];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < byId.length; i++) {
                    TraceId id = sample.get(i % sample.size());
                    long q0 = System.nanoTime();
                    if (store.spanReader().getTrace(TENANT, id).isEmpty()) {
                        throw new IllegalStateException("trace " + id + " not found");
                    }
                    byId[i] = System.nanoTime() - q0;
                }
            }
            line(
                    "| trace by id | p50 %.2f ms, **p99 %.2f ms** (%d lookups) |",
                    ms(byId, 0.5), ms(byId, 0.99), byId.length);
            TimeRange hour = new TimeRange(END.minus(Duration.ofHours(1)), END);
            long first0 = System.nanoTime();
            store.spanReader().serviceRed(TENANT, hour);
            long first = System.nanoTime() - first0;
            long[] red = time(10, () -> store.spanReader().serviceRed(TENANT, hour));
            line(
                    "| RED per service over 1 h (all %,d spans in range) | **p50 %.0f ms** (first run %.0f ms) |",
                    total, ms(red, 0.5), first / 1e6);
            long[] ops = time(10, () -> store.spanReader().operationRed(TENANT, "checkout", hour));
            line("| RED per operation of one service, 1 h | p50 %.0f ms |", ms(ops, 0.5));
            long[] svcs = time(10, () -> store.spanReader().services(TENANT, hour));
            line("| list services, 1 h | p50 %.1f ms |", ms(svcs, 0.5));
        }
    }

    private static long[] time(int runs, Runnable r) {
        r.run(); // warm-up
        long[] out = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            out[i] = System.nanoTime() - t0;
        }
        return out;
    }

    private static double ms(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static long size(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
