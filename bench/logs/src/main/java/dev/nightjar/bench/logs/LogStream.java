package dev.nightjar.bench.logs;

import static dev.nightjar.bench.logs.Measure.BATCH;
import static dev.nightjar.bench.logs.Measure.END;
import static dev.nightjar.bench.logs.Measure.TENANT;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.storage.lucene.LuceneStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The logs part for record counts whose records do not fit in the heap: this thread generates batches
 * while one writer thread writes them. The write rate then includes generation on the same cores, so
 * only the bytes and the query figures are comparable with a normal run.
 */
final class LogStream {

    private LogStream() {}

    static void run(Report report, int logs, Path dir) throws Exception {
        long needleEvery = Math.max(1000, logs / 200);
        Generator g = new Generator(7);
        long start = Timestamps.toNanos(END.minus(Duration.ofHours(24)));
        long step = Duration.ofHours(24).toNanos() / logs;
        Path njDir = dir.resolve("nightjar-stream");
        BlockingQueue<List<LogRecord>> queue = new ArrayBlockingQueue<>(8);
        long jsonBytes = 0;
        try (LuceneStorage store = new LuceneStorage(Measure.config(njDir))) {
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
            long bytes = Measure.size(
                    njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"));
            report.line("");
            report.line("| logs, streamed (%,d records) | figure |", logs);
            report.line("|---|---|");
            report.line(
                    "| generate + write + commit, one writer thread | %,.0f records/s (generation on the same cores) |",
                    logs / ((t1 - t0) / 1e9));
            report.line(
                    "| Nightjar bytes on disk | %.1f B/record = **%.3f x OTLP-JSON** (%.0f B/record OTLP-JSON) |",
                    (double) bytes / logs, bytes / (double) jsonBytes, (double) jsonBytes / logs);
            Compaction.run(
                    report,
                    store,
                    njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"),
                    logs,
                    jsonBytes);
            LogQueries.run(report, store, logs, needleEvery);
        }
        Compaction.closed(
                report, njDir.resolve("tenants").resolve(TENANT.toString()).resolve("logs"), logs, jsonBytes);
    }
}
