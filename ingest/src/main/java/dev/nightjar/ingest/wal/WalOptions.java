package dev.nightjar.ingest.wal;

/**
 * Settings of a {@link WriteAheadLog}.
 *
 * @param segmentBytes a segment is closed and a new one started once it holds this much
 * @param maxRecordBytes the largest payload one record may carry
 */
public record WalOptions(long segmentBytes, int maxRecordBytes) {

    public static final WalOptions DEFAULTS = new WalOptions(64L << 20, 64 << 20);

    public WalOptions {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("WAL segment size must be at least 4 KiB");
        }
        if (maxRecordBytes < 1 || maxRecordBytes > (1 << 30)) {
            throw new IllegalArgumentException("WAL record size must be 1 byte .. 1 GiB");
        }
    }
}
