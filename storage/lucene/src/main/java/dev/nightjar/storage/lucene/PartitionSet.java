package dev.nightjar.storage.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * The partitions of one tenant and signal: {@code <tenant dir>/<signal>/<yyyyMMdd'T'HHmm'Z'>/}, one Lucene
 * index each. Partitions open lazily on first use and stay open; structural changes (create, delete)
 * happen under this object's lock.
 */
final class PartitionSet {

    static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Signal signal;
    private final long partitionNanos;
    private final double ramBufferMb;
    /** Every partition on disk, open or not, by start time. */
    private final NavigableSet<Long> known = new ConcurrentSkipListSet<>();

    private final Map<Long, Partition> open = new ConcurrentSkipListMap<>();

    PartitionSet(Path dir, Signal signal, long partitionNanos, double ramBufferMb) {
        this.dir = dir;
        this.signal = signal;
        this.partitionNanos = partitionNanos;
        this.ramBufferMb = ramBufferMb;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(Files::isDirectory).forEach(p -> {
                    Long start = parse(p.getFileName().toString());
                    if (start != null) {
                        known.add(start);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Signal signal() {
        return signal;
    }

    private static Long parse(String name) {
        try {
            Instant t = NAME.parse(name, Instant::from);
            return t.getEpochSecond() * 1_000_000_000L;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A searcher leased from a partition, bound to the calling thread's query deadline ({@link Deadlines});
     * closing it releases the partition's searcher.
     */
    record Lease(Partition partition, IndexSearcher searcher, IndexSearcher acquired) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            partition.release(acquired);
        }
    }

    /**
     * A searcher of the partition. If the partition was closed for idleness meanwhile it is reopened; null
     * when retention deleted it.
     */
    Lease lease(Partition p) throws IOException {
        for (int attempt = 0; attempt < 3 && p != null; attempt++) {
            try {
                IndexSearcher acquired = p.acquire();
                try {
                    return new Lease(p, Deadlines.bound(acquired), acquired);
                } catch (IOException | RuntimeException e) {
                    p.release(acquired);
                    throw e;
                }
            } catch (AlreadyClosedException e) {
                p = current(p.startNanos);
            }
        }
        return null;
    }

    /** The open partition starting at {@code start}, reopening it if it exists; null if it was deleted. */
    private Partition current(long start) throws IOException {
        if (!known.contains(start)) {
            return null;
        }
        Partition p = open.get(start);
        return p != null ? p : openOrCreate(start);
    }

    /** Commits and closes partitions unused for {@code idleNanos}; they reopen on next use. */
    synchronized int closeIdle(long idleNanos) throws IOException {
        int closed = 0;
        long now = System.nanoTime();
        for (Partition p : List.copyOf(open.values())) {
            if (now - p.lastUsedNanos > idleNanos) {
                open.remove(p.startNanos);
                p.close();
                closed++;
            }
        }
        return closed;
    }

    long startOf(long timeNanos) {
        return Math.floorDiv(timeNanos, partitionNanos) * partitionNanos;
    }

    /** The partition holding {@code timeNanos}, created if needed (for writes). */
    Partition forWrite(long timeNanos) throws IOException {
        long start = startOf(timeNanos);
        Partition p = open.get(start);
        p = p != null ? p : openOrCreate(start);
        p.lastUsedNanos = System.nanoTime();
        return p;
    }

    private synchronized Partition openOrCreate(long start) throws IOException {
        Partition p = open.get(start);
        if (p == null) {
            Path path = dir.resolve(NAME.format(Instant.ofEpochSecond(0, start)));
            Files.createDirectories(path);
            p = new Partition(signal, start, start + partitionNanos, path, ramBufferMb);
            open.put(start, p);
            known.add(start);
        }
        return p;
    }

    /** Existing partitions overlapping {@code [from, to)}, newest first (for reads; opens them lazily). */
    List<Partition> overlapping(long from, long to) throws IOException {
        List<Partition> out = new ArrayList<>();
        for (Long start : known.descendingSet()) {
            if (start < to && start + partitionNanos > from) {
                Partition p = open.get(start);
                out.add(p != null ? p : openOrCreate(start));
            }
        }
        return out;
    }

    List<Partition> all() throws IOException {
        return overlapping(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Partitions already open (for refresh, commit, close), without opening any. */
    List<Partition> openPartitions() {
        return List.copyOf(open.values());
    }

    /** Deletes every partition that ends at or before {@code cutoffNanos}; returns how many. */
    synchronized int deleteEndingBy(long cutoffNanos) throws IOException {
        int deleted = 0;
        for (Long start : List.copyOf(known)) {
            if (start + partitionNanos <= cutoffNanos) {
                Partition p = open.remove(start);
                known.remove(start);
                Path path = dir.resolve(NAME.format(Instant.ofEpochSecond(0, start)));
                if (p != null) {
                    p.discard();
                }
                deleteRecursively(path);
                deleted++;
            }
        }
        return deleted;
    }

    synchronized void close() throws IOException {
        IOException first = null;
        for (Partition p : open.values()) {
            try {
                p.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
