package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.StorageException;
import java.io.IOException;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * One write into the partition that holds a time. Retention may close that partition between
 * {@code forWrite} and the write; the write then runs again on the partition {@code forWrite} makes anew, so
 * a write must be safe to resume (it keeps its own progress).
 */
@FunctionalInterface
interface PartitionWrite {

    void apply(Partition p) throws IOException;

    static void run(LuceneStorage storage, PartitionSet set, long timeNanos, PartitionWrite write) {
        for (int attempt = 0; ; attempt++) {
            try {
                write.apply(set.forWrite(timeNanos));
                return;
            } catch (AlreadyClosedException ex) {
                storage.ensureOpen();
                if (attempt > 3) {
                    throw new StorageException("partition kept closing under the write", ex);
                }
            } catch (IOException ex) {
                throw LuceneStorage.failure("write failed", ex);
            }
        }
    }
}
