package dev.nightjar.bench.logs;

import dev.nightjar.storage.lucene.LogCompactionResult;
import dev.nightjar.storage.lucene.LuceneStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The merge step after a logs write: the store's log compaction over every block (all records of the run
 * are older than the cutoff), then a commit; its wall time, its CPU per record (a server pays it after
 * ingest, off the ingest path) and the bytes on disk before and after. The queries run after it.
 */
final class Compaction {

    private Compaction() {}

    /**
     * The directory's size once Lucene's background merges have settled (the same size twice, 1 s apart):
     * a merge in flight holds its inputs and a partial output at the same time.
     */
    static long settledSize(Path dir) throws Exception {
        long last = -1;
        for (int i = 0; i < 60; i++) {
            long now = Measure.size(dir);
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(1000);
        }
        return last;
    }

    static void run(Report report, LuceneStorage store, Path logsDir, long records, double jsonBytes) throws Exception {
        long before = settledSize(logsDir);
        long c0 = Measure.cpuNanos();
        long t0 = System.nanoTime();
        LogCompactionResult r = store.compactLogs(Instant.now().plus(Duration.ofDays(1)));
        store.commit();
        long t1 = System.nanoTime();
        long c1 = Measure.cpuNanos();
        store.flush();
        long after = settledSize(logsDir);
        report.line(
                "| log compaction (merge step, after the write) | %,d blocks merged into %,d (%,d records) in %.1f s wall; "
                        + "**%.2f µs of CPU per record written** (%.2f µs per record moved) |",
                r.blocksMerged(),
                r.blocksWritten(),
                r.records(),
                (t1 - t0) / 1e9,
                (c1 - c0) / 1e3 / records,
                r.records() == 0 ? 0.0 : (c1 - c0) / 1e3 / r.records());
        report.line(
                "| Nightjar bytes on disk, as written (ingest zstd level) | %.1f B/record = %.3f x OTLP-JSON |",
                (double) before / records, before / jsonBytes);
        report.line(
                "| Nightjar bytes on disk, right after the merge (open store) | %.1f B/record = %.3f x OTLP-JSON |",
                (double) after / records, after / jsonBytes);
    }

    /** The size once the store is closed: what stays on disk, without files that open readers still hold. */
    static void closed(Report report, Path logsDir, long records, double jsonBytes) throws Exception {
        long bytes = Measure.size(logsDir);
        report.line(
                "| Nightjar bytes on disk after the merge, store closed | %.1f B/record = **%.3f x OTLP-JSON** (%,d MiB) |",
                (double) bytes / records, bytes / jsonBytes, bytes >> 20);
    }
}
