package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.LogRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes and CPU of the log block codec ({@link LogBlock}) at several zstd levels, on the benchmark's
 * records: the measurement behind the level the store uses. In the store's package because the codec is
 * package-private; only the benchmark (never the product) puts a class here.
 */
public final class ZstdLevels {

    private ZstdLevels() {}

    /** One line per level: payload bytes per record (head, tail) and encoding time per record. */
    public static List<String> measure(List<List<LogRecord>> batches) {
        return measure(batches, new int[] {1, 3, 6, 9, 19});
    }

    /**
     * The same for blocks of the size the log compaction writes: {@code group} batches per block (4 batches
     * of 1,000 records: the merge's 4,096-record target), at the levels a merge could use.
     */
    public static List<String> measureMerged(List<List<LogRecord>> batches, int group) {
        List<List<LogRecord>> merged = new ArrayList<>();
        for (int i = 0; i + group <= batches.size(); i += group) {
            List<LogRecord> block = new ArrayList<>();
            for (int g = 0; g < group; g++) {
                block.addAll(batches.get(i + g));
            }
            merged.add(block);
        }
        return measure(merged, new int[] {3, 4, 5, 6, 9});
    }

    private static List<String> measure(List<List<LogRecord>> batches, int[] levels) {
        List<String> out = new ArrayList<>();
        for (int level : levels) {
            long head = 0;
            long total = 0;
            long n = 0;
            long t0 = System.nanoTime();
            for (List<LogRecord> b : batches) {
                List<LogRecord> sorted = new ArrayList<>(b);
                sorted.sort(Comparator.comparingLong(LogRecord::effectiveTimeUnixNano)
                        .reversed());
                List<LogBlock.Entry> entries = new ArrayList<>();
                Map<Object, Integer> index = new IdentityHashMap<>();
                int[] resourceOf = new int[sorted.size()];
                for (int i = 0; i < sorted.size(); i++) {
                    LogRecord r = sorted.get(i);
                    Integer e = index.get(r.resource());
                    if (e == null) {
                        e = entries.size();
                        index.put(r.resource(), e);
                        entries.add(new LogBlock.Entry(ResourceTable.fingerprint(r.resource()), r.resource(), false));
                    }
                    resourceOf[i] = e;
                }
                byte[] payload = LogBlock.encode(sorted, 1, entries, resourceOf, level);
                // version, raw head size, compressed head size, uncompressed ids and observed offsets
                ByteBuffer header = ByteBuffer.wrap(payload, 5, 8);
                head += header.getInt() + header.getInt();
                total += payload.length;
                n += sorted.size();
            }
            long t1 = System.nanoTime();
            out.add(String.format(
                    java.util.Locale.ROOT,
                    "| zstd level %d | %.1f B/record (head with raw ids %.1f, tail %.1f); encoding %.1f us/record |",
                    level,
                    (double) total / n,
                    (double) head / n,
                    (double) (total - head) / n,
                    (t1 - t0) / 1e3 / n));
        }
        return out;
    }
}
