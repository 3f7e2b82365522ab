package dev.nightjar.storage.lucene;

/**
 * What a log compaction did.
 *
 * @param partitions log partitions looked at
 * @param blocksMerged small blocks replaced
 * @param blocksWritten merged blocks that replaced them
 * @param records records moved into merged blocks
 */
public record LogCompactionResult(long partitions, long blocksMerged, long blocksWritten, long records) {

    public static final LogCompactionResult NONE = new LogCompactionResult(0, 0, 0, 0);

    LogCompactionResult plus(LogCompactionResult o) {
        return new LogCompactionResult(
                partitions + o.partitions,
                blocksMerged + o.blocksMerged,
                blocksWritten + o.blocksWritten,
                records + o.records);
    }
}
