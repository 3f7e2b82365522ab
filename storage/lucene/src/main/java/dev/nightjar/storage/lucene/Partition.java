package dev.nightjar.storage.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** One Lucene index: one tenant, one signal, one time partition {@code [start, end)}. */
final class Partition implements AutoCloseable {

    final Signal signal;
    final long startNanos;
    final long endNanos;
    final Path path;
    private final Directory directory;
    final IndexWriter writer;
    private final SearcherManager searchers;
    final ResourceTable resources = new ResourceTable();
    /** Last write or search, for closing idle partitions. */
    volatile long lastUsedNanos = System.nanoTime();
    /** Last log or span write (for log compaction: a partition not written for a while is merged whole). */
    volatile long lastWriteNanos = System.nanoTime();
    /** {@link #lastWriteNanos} when {@link LogCompaction} last merged the whole partition. */
    volatile long compactedThroughWrite = Long.MIN_VALUE;
    /** Set by writes, cleared by the refresher: only changed partitions are reopened. */
    final AtomicBoolean dirty = new AtomicBoolean();

    Partition(Signal signal, long startNanos, long endNanos, Path path, double ramBufferMb) throws IOException {
        this.signal = signal;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.path = path;
        this.directory = FSDirectory.open(path);
        IndexWriterConfig config = new IndexWriterConfig(signal == Signal.LOGS ? LogIndex.ANALYZER : null)
                .setCodec(new Lucene104Codec(Lucene104Codec.Mode.BEST_COMPRESSION))
                .setRAMBufferSizeMB(ramBufferMb)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setCommitOnClose(true);
        config.setIndexSort(signal.sort);
        ConcurrentMergeScheduler cms = new ConcurrentMergeScheduler();
        cms.setMaxMergesAndThreads(2, 1);
        config.setMergeScheduler(cms);
        IndexWriter w;
        try {
            w = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        this.writer = w;
        try {
            if (signal == Signal.SPANS) {
                SpanLayout.check(writer, path);
            }
            resources.load(writer);
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException | RuntimeException e) {
            writer.rollback();
            directory.close();
            throw e;
        }
    }

    boolean overlaps(long from, long to) {
        return startNanos < to && endNanos > from;
    }

    IndexSearcher acquire() throws IOException {
        lastUsedNanos = System.nanoTime();
        return searchers.acquire();
    }

    /** A searcher for background work: does not count as a use, so it keeps no partition open. */
    IndexSearcher acquireQuietly() throws IOException {
        return searchers.acquire();
    }

    void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    void refreshIfDirty() throws IOException {
        if (dirty.getAndSet(false)) {
            searchers.maybeRefresh();
        }
    }

    void refreshNow() throws IOException {
        dirty.set(false);
        searchers.maybeRefreshBlocking();
    }

    void commit() throws IOException {
        if (writer.hasUncommittedChanges()) {
            writer.commit();
        }
    }

    /** Closes without committing: for partitions about to be deleted. */
    void discard() throws IOException {
        try {
            searchers.close();
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            writer.close();
        } finally {
            directory.close();
        }
    }
}
