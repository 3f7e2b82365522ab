package dev.nightjar.bench.logs;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.traces.Span;
import dev.nightjar.ingest.IngestAuthenticator;
import dev.nightjar.ingest.IngestLimits;
import dev.nightjar.ingest.IngestMetrics;
import dev.nightjar.ingest.TelemetryIngest;
import dev.nightjar.ingest.otlp.OtlpExports;
import dev.nightjar.ingest.otlp.OtlpGrpcReceiver;
import dev.nightjar.ingest.otlp.OtlpHttpReceiver;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import dev.nightjar.storage.lucene.LuceneStorage;
import dev.nightjar.storage.lucene.LuceneStorageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end ingest: OTLP/HTTP protobuf exports (batches of 1,000, as SDK batch processors and Collectors
 * send them) from concurrent client connections into the real receiver, WAL (fsync, group commit) and
 * Lucene store, until every record is acknowledged, committed and searchable; then raw Lucene indexing
 * the same records in the same run as the peer. Spans the same way. See README.md.
 */
public final class IngestBench {
    private static final TenantId TENANT = TenantId.of(UUID.fromString("00000000-0000-0000-0000-0000000000b1"));
    /** Warm-up exports go to their own tenant, so the measured tenant holds exactly the measured records. */
    private static final TenantId WARM_UP = TenantId.of(UUID.fromString("00000000-0000-0000-0000-0000000000b2"));

    private static final Instant END = Instant.now();

    public static void main(String[] args) throws Exception {
        int logs = intArg(args, "--logs", 500_000);
        int spans = intArg(args, "--spans", 300_000);
        int clients = intArg(args, "--clients", 4);
        int warmUp = intArg(args, "--warm-up-exports", 60);
        String transport = stringArg(args, "--transport", "http");
        boolean skipRaw = stringArg(args, "--skip-raw", "false").equals("true");
        Path work = Files.createTempDirectory("nightjar-ingest-bench");
        // GiBs per run (WAL, indexes, bodies): removed at exit, also when the run is stopped
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(work)));
        System.out.printf(
                "cores %d, transport %s, clients %d (in a separate process), logs %,d, spans %,d, dir %s%n",
                Runtime.getRuntime().availableProcessors(), transport, clients, logs, spans, work);

        Generator g = new Generator(7);
        long start = Timestamps.toNanos(END.minus(Duration.ofHours(24)));
        long step = Duration.ofHours(24).toNanos() / logs;
        List<List<LogRecord>> logBatches = new ArrayList<>();
        List<byte[]> logBodies = new ArrayList<>();
        for (int i = 0; i < logs; i += 1000) {
            List<LogRecord> batch = g.logBatch(Math.min(1000, logs - i), start + i * step, step, 1_000_000, i, 4);
            logBatches.add(batch);
            logBodies.add(OtlpEncoding.logs(batch));
        }
        List<byte[]> spanBodies = new ArrayList<>();
        int spanCount = 0;
        List<Span> pending = new ArrayList<>();
        long spanStart = Timestamps.toNanos(END.minus(Duration.ofHours(1)));
        while (spanCount < spans) {
            List<Span> trace = g.trace(spanStart + spanCount * 3_600_000_000_000L / spans);
            pending.addAll(trace);
            spanCount += trace.size();
            if (pending.size() >= 1000) {
                spanBodies.add(OtlpEncoding.spans(pending));
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            spanBodies.add(OtlpEncoding.spans(pending));
        }
        long bytes = logBodies.stream().mapToLong(b -> b.length).sum();
        System.out.printf("OTLP protobuf: %.1f B/record%n", (double) bytes / logs);
        Path logFile = work.resolve("logs.bodies");
        Path spanFile = work.resolve("spans.bodies");
        IngestClient.write(logFile, logBodies);
        IngestClient.write(spanFile, spanBodies);

        Vertx vertx = Vertx.vertx();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LuceneStorage storage = new LuceneStorage(LuceneStorageConfig.defaults(work.resolve("storage"))
                .withCommitInterval(null)
                .withLogCompactionInterval(null)); // merged in a step of its own, after the phase
        WriteAheadLog wal = WriteAheadLog.open(work.resolve("wal"), WalOptions.DEFAULTS, meters);
        TelemetryIngest ingest = new TelemetryIngest(storage, wal, IngestLimits.DEFAULTS, new IngestMetrics(meters));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, clients));
        OtlpExports exports = new OtlpExports(
                ingest,
                h -> IngestAuthenticator.Outcome.allowed("warm-up".equals(h) ? WARM_UP : TENANT),
                IngestLimits.DEFAULTS,
                new IngestMetrics(meters));
        boolean grpc = transport.equals("grpc");
        OtlpHttpReceiver receiver = grpc ? null : new OtlpHttpReceiver(exports, pool);
        OtlpGrpcReceiver grpcReceiver = grpc ? new OtlpGrpcReceiver(exports, pool) : null;
        int port = grpc ? grpcReceiver.start(vertx, "127.0.0.1", 0) : receiver.start(vertx, "127.0.0.1", 0);
        String logsPath = grpc ? "/opentelemetry.proto.collector.logs.v1.LogsService/Export" : "/v1/logs";
        String tracesPath = grpc ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export" : "/v1/traces";
        try {
            // A running server has compiled its hot paths long ago: warm the JIT up on a copy of the first
            // exports (to another tenant) so that the figures below are the steady state, not start-up.
            Path warmLogs = work.resolve("logs.warm");
            Path warmSpans = work.resolve("spans.warm");
            List<byte[]> firstLogs = IngestClient.read(logFile);
            // more warm-up exports than the run has cycle through them again (the warm-up tenant's data)
            IngestClient.write(warmLogs, cycle(firstLogs, warmUp));
            List<byte[]> firstSpans = IngestClient.read(spanFile);
            List<byte[]> spanWarmUp = firstSpans.subList(0, Math.min(firstSpans.size(), warmUp));
            IngestClient.write(warmSpans, spanWarmUp);
            // Spans first, logs last: a server ingesting both all day has seen both kinds of document in
            // Lucene's shared code; warming logs last keeps the spans' type profiles from deoptimising it
            // at the start of the measured logs phase (the span phase follows logs either way).
            Result warmS = send(transport, port, tracesPath, warmSpans, clients, "warm-up", ingest::checkpoint);
            Result warm = send(transport, port, logsPath, warmLogs, clients, "warm-up", ingest::checkpoint);
            System.out.printf(
                    "warm-up: %d log and %d span exports in %.1f s and %.1f s%n",
                    warmUp, spanWarmUp.size(), warm.seconds, warmS.seconds);
            ThreadCpu threads0 = ThreadCpu.now();
            // Durable is the WAL fsync each export waited for; searchable is a refresh. The WAL checkpoint
            // (Lucene commit, WAL segments dropped) is housekeeping a server runs every 30 s: timed after.
            Result logResult = send(transport, port, logsPath, logFile, clients, "bench", () -> {
                storage.flush();
                TimeRange all = new TimeRange(END.minus(Duration.ofHours(25)), END.plusSeconds(1));
                long found = storage.logReader()
                        .histogram(TENANT, new LogHistogramQuery(LogFilter.of(all), Duration.ofHours(1)))
                        .total();
                if (found != logs) {
                    throw new IllegalStateException("searchable " + found + " of " + logs);
                }
            });
            System.out.printf(
                    "end-to-end logs: %,.0f records/s wall, %,.0f records per server CPU-second (%.2f s, the last"
                            + " acknowledged after %.2f s; server %.2f CPU-s, client process %.2f CPU-s, %d fsyncs)%n",
                    logs / logResult.seconds,
                    logs / logResult.cpuSeconds,
                    logResult.seconds,
                    logResult.ackSeconds,
                    logResult.cpuSeconds,
                    logResult.clientCpuSeconds,
                    meters.get("nightjar.wal.fsync").timer().count());
            ThreadCpu threads1 = ThreadCpu.now();
            System.out.println(
                    "  server CPU-s by thread during logs: " + threads1.minus(threads0, logResult.cpuSeconds));
            long cp0 = cpuNanos();
            long tc0 = System.nanoTime();
            ingest.checkpoint();
            System.out.printf(
                    "  WAL checkpoint after the phase (Lucene commit, WAL dropped): %.2f s, %.2f CPU-s%n",
                    (System.nanoTime() - tc0) / 1e9, (cpuNanos() - cp0) / 1e9);
            // the merge a server runs later, off the ingest path: its own CPU per record
            ThreadCpu mergeThreads0 = ThreadCpu.now();
            long mc0 = cpuNanos();
            long mt0 = System.nanoTime();
            var merged = storage.compactLogs(java.time.Instant.now().plus(Duration.ofDays(1)));
            storage.commit();
            System.out.printf(
                    "  log compaction afterwards (both tenants' logs): %,d blocks into %,d, %,d records, %.2f s,"
                            + " %.2f µs of CPU per record merged%n",
                    merged.blocksMerged(),
                    merged.blocksWritten(),
                    merged.records(),
                    (System.nanoTime() - mt0) / 1e9,
                    merged.records() == 0 ? 0.0 : (cpuNanos() - mc0) / 1e3 / merged.records());
            threads1 = ThreadCpu.now();
            System.out.println("  server CPU-s by thread during the merge: "
                    + threads1.minus(mergeThreads0, (cpuNanos() - mc0) / 1e9));

            Result spanResult = send(transport, port, tracesPath, spanFile, clients, "bench", () -> {
                ingest.checkpoint();
                storage.flush();
            });
            System.out.printf(
                    "end-to-end spans: %,.0f spans/s wall, %,.0f spans per server CPU-second (%.2f s, the last"
                            + " acknowledged after %.2f s; server %.2f CPU-s, client process %.2f CPU-s)%n",
                    spanCount / spanResult.seconds,
                    spanCount / spanResult.cpuSeconds,
                    spanResult.seconds,
                    spanResult.ackSeconds,
                    spanResult.cpuSeconds,
                    spanResult.clientCpuSeconds);
            System.out.println(
                    "  server CPU-s by thread during spans: " + ThreadCpu.now().minus(threads1, spanResult.cpuSeconds));
        } finally {
            if (receiver != null) {
                receiver.stop();
            } else {
                grpcReceiver.stop();
            }
            pool.shutdown();
            ingest.close();
            storage.close();
            vertx.close();
        }

        if (skipRaw) {
            return;
        }
        // The peer: raw Lucene IndexWriter indexing the same records, same run, same client thread count,
        // after the same warm-up (the same number of batches, into an index of its own).
        try (RawLucene warmRaw = new RawLucene(work.resolve("raw-warm-up"))) {
            rawIndex(warmRaw, cycle(logBatches, warmUp), clients);
        }
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        try (RawLucene raw = new RawLucene(work.resolve("raw"))) {
            rawIndex(raw, logBatches, clients);
        }
        double rawSeconds = (System.nanoTime() - t0) / 1e9;
        double rawCpu = (cpuNanos() - cpu0) / 1e9;
        System.out.printf(
                "raw Lucene logs: %,.0f records/s wall, %,.0f records per CPU-second (%.2f s)%n",
                logs / rawSeconds, logs / rawCpu, rawSeconds);
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The first {@code n} items of {@code items} repeated end to end. */
    private static <T> List<T> cycle(List<T> items, int n) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(items.get(i % items.size()));
        }
        return out;
    }

    /** Indexes the batches with {@code threads} threads and commits. */
    private static void rawIndex(RawLucene raw, List<List<LogRecord>> batches, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                for (int i; (i = next.getAndIncrement()) < batches.size(); ) {
                    for (LogRecord r : batches.get(i)) {
                        try {
                            raw.add(r);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        raw.commit();
    }

    /**
     * One measured phase: wall seconds from the first export sent until every record is acknowledged and the
     * finish step (checkpoint, refresh, count) is done, this (server) process' CPU time, the client process'
     * own CPU time, and the seconds until the last acknowledgement.
     */
    record Result(double seconds, double cpuSeconds, double clientCpuSeconds, double ackSeconds) {}

    /** Runs the load client as a child process on the same classpath, then {@code finish}; times both. */
    private static Result send(
            String transport,
            int port,
            String path,
            Path bodies,
            int clients,
            String authorization,
            ThrowingRunnable finish)
            throws Exception {
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                        javaCmd,
                        "-Xmx2g",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        IngestClient.class.getName(),
                        transport,
                        Integer.toString(port),
                        path,
                        bodies.toString(),
                        Integer.toString(clients),
                        authorization)
                .redirectErrorStream(true);
        Process client = pb.start();
        var lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(client.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        // the clock starts once the client has started and read its bodies (its start-up is not ingest time)
        for (String line; (line = lines.readLine()) != null && !line.equals("ready"); ) {
            out.append(line).append('\n');
        }
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        client.getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        for (String line; (line = lines.readLine()) != null; ) {
            out.append(line).append('\n');
        }
        if (client.waitFor() != 0) {
            throw new IllegalStateException("load client failed:\n" + out);
        }
        long acked = System.nanoTime();
        finish.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double clientCpu = Double.NaN;
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("client-cpu-seconds ")) {
                clientCpu = Double.parseDouble(
                        line.substring("client-cpu-seconds ".length()).strip());
            }
        }
        return new Result(seconds, cpu, clientCpu, (acked - t0) / 1e9);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** CPU time of this process: receiver, WAL and store (the load client runs in its own process). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
