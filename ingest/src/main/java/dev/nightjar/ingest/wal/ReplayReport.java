package dev.nightjar.ingest.wal;

/**
 * What a replay found: records handed on, records skipped because their checksum failed, and bytes cut
 * from segment tails that held no complete record (a write torn by a crash).
 */
public record ReplayReport(int segments, long records, long corruptedRecords, long truncatedBytes) {

    public boolean clean() {
        return corruptedRecords == 0 && truncatedBytes == 0;
    }
}
