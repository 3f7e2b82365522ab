package dev.nightjar.ingest.wal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An append-only log of opaque records in CRC-framed segment files. {@link #append} returns only once the
 * record is fsynced; concurrent appends share one fsync (group commit): whoever finds its record not yet
 * synced becomes the leader, syncs everything written so far, and releases every waiter it covered.
 *
 * <p>A failed write (disk full) is cut off the segment again and reported as {@link
 * WalUnavailableException}; the next append retries, so the log recovers once space returns. On open, a
 * new segment is started: older segments are only read by {@link #replay} and deleted by {@link
 * #deleteSegmentsBefore} once the store has committed what they hold.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class.getName());
    private static final String SUFFIX = ".wal";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final byte[] NOTHING = new byte[0];

    private final Path dir;
    private final WalOptions options;
    private final Object writeLock = new Object();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final AtomicLong synced = new AtomicLong();
    private final AtomicLong diskBytes = new AtomicLong();
    private final Timer fsyncTimer;
    private final Counter appendFailures;
    private final Counter corruptedRecords;
    private final Counter truncatedBytes;
    private final Counter appendedBytes;

    // Guarded by writeLock.
    private FileChannel channel;
    private long segmentId;
    private long segmentBytes;
    private long written;
    private boolean closed;

    private WriteAheadLog(Path dir, WalOptions options, MeterRegistry meters) throws IOException {
        this.dir = dir;
        this.options = options;
        this.fsyncTimer = Timer.builder("nightjar.wal.fsync")
                .description("Time one WAL fsync (shared by a group of appends) takes")
                .register(meters);
        this.appendFailures = Counter.builder("nightjar.wal.append.failures")
                .description("WAL appends that failed (disk full, I/O error)")
                .register(meters);
        this.corruptedRecords = Counter.builder("nightjar.wal.corrupted.records")
                .description("WAL records skipped on replay because their checksum failed")
                .register(meters);
        this.truncatedBytes = Counter.builder("nightjar.wal.truncated.bytes")
                .description("Bytes of torn WAL tails cut on replay")
                .register(meters);
        this.appendedBytes = Counter.builder("nightjar.wal.appended.bytes")
                .description("Bytes appended to the WAL")
                .register(meters);
        Gauge.builder("nightjar.wal.size.bytes", diskBytes, AtomicLong::get)
                .description("Bytes the WAL holds on disk")
                .register(meters);
        Files.createDirectories(dir);
        List<Long> existing = segmentIds();
        diskBytes.set(sizeOf(existing));
        this.segmentId = existing.isEmpty() ? 1 : existing.getLast() + 1;
        this.channel = openSegment(segmentId);
    }

    public static WriteAheadLog open(Path dir, WalOptions options, MeterRegistry meters) {
        try {
            return new WriteAheadLog(dir, options, meters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the write-ahead log in " + dir, e);
        }
    }

    /** Appends a record and returns once it is durable. */
    public void append(byte[] payload) {
        append(NOTHING, payload);
    }

    /**
     * Appends one record made of {@code head} followed by {@code body} and returns once it is durable. The
     * parts are written as they are: an export request of megabytes is not copied into a new array first.
     */
    public void append(byte[] head, byte[] body) {
        long length = (long) head.length + body.length;
        if (length > options.maxRecordBytes()) {
            throw new IllegalArgumentException(
                    "WAL record of " + length + " bytes exceeds " + options.maxRecordBytes());
        }
        // checksum outside the lock: concurrent appends compute theirs in parallel
        ByteBuffer[] frame = {Frame.header(head, body), ByteBuffer.wrap(head), ByteBuffer.wrap(body)};
        int frameBytes = Frame.HEADER + (int) length;
        long end;
        synchronized (writeLock) {
            if (closed) {
                throw new IllegalStateException("write-ahead log is closed");
            }
            try {
                if (channel == null) {
                    channel = openSegment(segmentId);
                } else if (segmentBytes > 0 && segmentBytes + frameBytes > options.segmentBytes()) {
                    roll();
                }
                // Undo whatever a previous failed write left behind before writing after it.
                if (channel.size() != segmentBytes) {
                    channel.truncate(segmentBytes);
                }
                channel.position(segmentBytes);
                while (frame[0].hasRemaining() || frame[1].hasRemaining() || frame[2].hasRemaining()) {
                    channel.write(frame);
                }
            } catch (IOException e) {
                appendFailures.increment();
                cutBack();
                throw new WalUnavailableException("write-ahead log append failed: " + e.getMessage(), RETRY_AFTER, e);
            }
            segmentBytes += frameBytes;
            written += frameBytes;
            diskBytes.addAndGet(frameBytes);
            appendedBytes.increment(frameBytes);
            end = written;
        }
        sync(end);
    }

    private void sync(long position) {
        if (synced.get() >= position) {
            return;
        }
        syncLock.lock();
        try {
            if (synced.get() >= position) {
                return;
            }
            long target;
            FileChannel ch;
            synchronized (writeLock) {
                target = written;
                ch = channel;
            }
            if (ch == null) {
                // Only a failed roll leaves no channel, and a roll syncs everything before it.
                return;
            }
            long start = System.nanoTime();
            try {
                ch.force(false);
            } catch (ClosedChannelException rolled) {
                // A roll forced and closed this segment; it advanced `synced` past everything in it.
                if (synced.get() >= position) {
                    return;
                }
                throw rolled;
            }
            fsyncTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            synced.accumulateAndGet(target, Math::max);
        } catch (IOException e) {
            appendFailures.increment();
            throw new WalUnavailableException("write-ahead log fsync failed: " + e.getMessage(), RETRY_AFTER, e);
        } finally {
            syncLock.unlock();
        }
    }

    /** Removes a partly written frame, so the segment ends with a whole record again. */
    private void cutBack() {
        try {
            if (channel != null && channel.size() > segmentBytes) {
                channel.truncate(segmentBytes);
            }
        } catch (IOException e) {
            // Truncation frees space and rarely fails; if it does, the next append truncates first.
            LOG.log(Level.WARNING, "cannot cut a failed WAL write back yet: " + e.getMessage());
        }
    }

    /** Closes the current segment (durably) and starts the next; returns the new segment's id. */
    public long roll() {
        synchronized (writeLock) {
            try {
                if (channel != null) {
                    channel.force(false);
                    synced.accumulateAndGet(written, Math::max);
                    channel.close();
                }
                segmentId++;
                segmentBytes = 0;
                channel = null;
                channel = openSegment(segmentId);
                return segmentId;
            } catch (IOException e) {
                // The next append opens the segment; until then appends fail and are retried.
                throw new WalUnavailableException("cannot start a WAL segment: " + e.getMessage(), RETRY_AFTER, e);
            }
        }
    }

    /** The segment appends go to now. */
    public long currentSegment() {
        synchronized (writeLock) {
            return segmentId;
        }
    }

    /** Deletes every segment older than {@code segment}: the store has durably committed their records. */
    public void deleteSegmentsBefore(long segment) {
        try {
            for (long id : segmentIds()) {
                if (id < segment) {
                    Path file = segmentPath(id);
                    long size = Files.size(file);
                    Files.deleteIfExists(file);
                    diskBytes.addAndGet(-size);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete committed WAL segments: " + e.getMessage());
        }
    }

    /**
     * Hands every record of the segments before the current one to {@code sink}, oldest first. Corrupted
     * records are skipped and torn tails cut, each reported in the log and the metrics; replay never
     * fails on bad data.
     */
    public ReplayReport replay(Consumer<byte[]> sink) {
        return read(sink, true);
    }

    /** Reads like {@link #replay} without logging or counting damage: for a first pass over the records. */
    public void scan(Consumer<byte[]> sink) {
        read(sink, false);
    }

    private ReplayReport read(Consumer<byte[]> sink, boolean report) {
        long current = currentSegment();
        SegmentReader reader = new SegmentReader(options.maxRecordBytes());
        int segments = 0;
        try {
            for (long id : segmentIds()) {
                if (id >= current) {
                    continue;
                }
                segments++;
                long corruptedBefore = reader.corrupted;
                long truncatedBefore = reader.truncatedBytes;
                Path file = segmentPath(id);
                long validEnd = reader.read(file, sink);
                if (report && reader.corrupted > corruptedBefore) {
                    LOG.warning("WAL segment " + file + ": skipped " + (reader.corrupted - corruptedBefore)
                            + " corrupted record(s)");
                }
                if (report && reader.truncatedBytes > truncatedBefore) {
                    LOG.warning("WAL segment " + file + ": cut a torn tail of "
                            + (reader.truncatedBytes - truncatedBefore) + " bytes after offset " + validEnd);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write-ahead log in " + dir, e);
        }
        if (report) {
            corruptedRecords.increment(reader.corrupted);
            truncatedBytes.increment(reader.truncatedBytes);
        }
        return new ReplayReport(segments, reader.records, reader.corrupted, reader.truncatedBytes);
    }

    /** Bytes appended since open; with {@link #syncedBytes()} shows what a group commit still owes. */
    long writtenBytes() {
        synchronized (writeLock) {
            return written;
        }
    }

    long syncedBytes() {
        return synced.get();
    }

    ReentrantLock syncLockForTests() {
        return syncLock;
    }

    /** Bytes on disk in all segments. */
    public long sizeBytes() {
        return diskBytes.get();
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (channel != null) {
                try {
                    channel.force(false);
                    channel.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "closing the WAL: " + e.getMessage());
                }
            }
        }
    }

    private FileChannel openSegment(long id) throws IOException {
        FileChannel ch = FileChannel.open(
                segmentPath(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        segmentBytes = ch.size();
        // The directory entry must be durable too, or a crash could lose the whole new file.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        return ch;
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format("%020d%s", id, SUFFIX));
    }

    private List<Long> segmentIds() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && n.length() == 20 + SUFFIX.length())
                    .forEach(n -> {
                        try {
                            ids.add(Long.parseLong(n.substring(0, 20)));
                        } catch (NumberFormatException notOurs) {
                            // a stray file; leave it alone
                        }
                    });
        }
        ids.sort(null);
        return ids;
    }

    private long sizeOf(List<Long> ids) throws IOException {
        long total = 0;
        for (long id : ids) {
            total += Files.size(segmentPath(id));
        }
        return total;
    }
}
