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
import dev.nightjar.ingest.otlp.OtlpHttpReceiver;
import dev.nightjar.ingest.wal.WalOptions;
import dev.nightjar.ingest.wal.WriteAheadLog;
import dev.nightjar.storage.lucene.LuceneStorage;
import dev.nightjar.storage.lucene.LuceneStorageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private static final Instant END = Instant.now();

    public static void main(String[] args) throws Exception {
        int logs = intArg(args, "--logs", 500_000);
        int spans = intArg(args, "--spans", 300_000);
        int clients = intArg(args, "--clients", 4);
        Path work = Files.createTempDirectory("nightjar-ingest-bench");
        System.out.printf(
                "cores %d, clients %d, logs %,d, spans %,d, dir %s%n",
                Runtime.getRuntime().availableProcessors(), clients, logs, spans, work);

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

        Vertx vertx = Vertx.vertx();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LuceneStorage storage = new LuceneStorage(
                LuceneStorageConfig.defaults(work.resolve("storage")).withCommitInterval(null));
        WriteAheadLog wal = WriteAheadLog.open(work.resolve("wal"), WalOptions.DEFAULTS, meters);
        TelemetryIngest ingest = new TelemetryIngest(storage, wal, IngestLimits.DEFAULTS, new IngestMetrics(meters));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, clients));
        OtlpHttpReceiver receiver = new OtlpHttpReceiver(
                new OtlpExports(
                        ingest,
                        h -> IngestAuthenticator.Outcome.allowed(TENANT),
                        IngestLimits.DEFAULTS,
                        new IngestMetrics(meters)),
                pool);
        int port = receiver.start(vertx, "127.0.0.1", 0);
        try {
            Result logResult = send(port, "/v1/logs", logBodies, clients, () -> {
                ingest.checkpoint();
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
                    "end-to-end logs: %,.0f records/s wall, %,.0f records per CPU-second (%.2f s, %d fsyncs)%n",
                    logs / logResult.seconds,
                    logs / logResult.cpuSeconds,
                    logResult.seconds,
                    meters.get("nightjar.wal.fsync").timer().count());

            Result spanResult = send(port, "/v1/traces", spanBodies, clients, () -> {
                ingest.checkpoint();
                storage.flush();
            });
            System.out.printf(
                    "end-to-end spans: %,.0f spans/s wall, %,.0f spans per CPU-second (%.2f s)%n",
                    spanCount / spanResult.seconds, spanCount / spanResult.cpuSeconds, spanResult.seconds);
        } finally {
            receiver.stop();
            pool.shutdown();
            ingest.close();
            storage.close();
            vertx.close();
        }

        // The peer: raw Lucene IndexWriter indexing the same records, same run, same client thread count.
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        try (RawLucene raw = new RawLucene(work.resolve("raw"))) {
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i; (i = next.getAndIncrement()) < logBatches.size(); ) {
                        for (LogRecord r : logBatches.get(i)) {
                            try {
                                raw.add(r);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            raw.commit();
        }
        double rawSeconds = (System.nanoTime() - t0) / 1e9;
        double rawCpu = (cpuNanos() - cpu0) / 1e9;
        System.out.printf(
                "raw Lucene logs: %,.0f records/s wall, %,.0f records per CPU-second (%.2f s)%n",
                logs / rawSeconds, logs / rawCpu, rawSeconds);
    }

    record Result(double seconds, double cpuSeconds) {}

    private static Result send(int port, String path, List<byte[]> bodies, int clients, ThrowingRunnable finish)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                                .build();
                        while (true) {
                            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() == 200) {
                                break;
                            }
                            if (r.statusCode() != 429 && r.statusCode() != 503) {
                                throw new IllegalStateException(path + " answered " + r.statusCode());
                            }
                            Thread.sleep(50);
                        }
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        finish.run();
        return new Result((System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** CPU time of the whole process (client, server and store share it, as they share the 2 cores). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
