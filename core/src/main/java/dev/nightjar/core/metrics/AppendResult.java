package dev.nightjar.core.metrics;

/**
 * What became of a batch. Rejected samples are counted by reason so the caller can answer with an
 * exact partial success; accepted ones are durable when {@code append} returns.
 *
 * @param accepted samples stored
 * @param tooOld samples older than the out-of-order window (or than data already cut into blocks)
 * @param duplicates samples whose timestamp was already stored with a different value
 */
public record AppendResult(long accepted, long tooOld, long duplicates) {

    public long rejected() {
        return tooOld + duplicates;
    }

    public AppendResult plus(AppendResult other) {
        return new AppendResult(accepted + other.accepted, tooOld + other.tooOld, duplicates + other.duplicates);
    }
}
