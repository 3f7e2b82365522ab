package dev.nightjar.storage.tsdb;

/**
 * Per-thread working arrays of the block codecs. Block cuts and compaction encode and decode every sample
 * of every block, and the arrays they used for it — fresh for every chunk — were a quarter of what the
 * store allocated under remote_write load. Each use takes its own slot, so arrays live at the same time
 * (a chunk's scaled integers while the packed codec works on their deltas) never share one; the
 * contents are only valid until the slot is taken again on the same thread.
 */
final class CodecScratch {

    /** {@link Chunk#best}'s scaled integers. */
    static final int BEST_INTS = 0;
    /** {@link PackedCodec#write}'s deltas, and {@link PackedCodec#read}'s residuals. */
    static final int PACKED_WORK = 1;
    /** {@link PackedCodec#write}'s deltas of deltas. */
    static final int PACKED_DOD = 2;
    /** {@link Chunk#decodeInto}'s timestamps and integers. */
    static final int DECODE_TS = 3;

    static final int DECODE_INTS = 4;

    private static final int SLOTS = 5;
    // Block chunks hold at most Chunks.MAX_BLOCK_CHUNK_SAMPLES; an array beyond this is not kept.
    private static final int KEPT_LENGTH = 4 * Chunks.MAX_BLOCK_CHUNK_SAMPLES;
    private static final ThreadLocal<CodecScratch> SCRATCH = ThreadLocal.withInitial(CodecScratch::new);
    // The last thread's scratch: the maintenance thread does nearly all block work, and a thread-local
    // lookup per codec call was a visible share of its time.
    private static volatile CodecScratch last;

    private final Thread owner = Thread.currentThread();
    private final long[][] arrays = new long[SLOTS][0];

    private CodecScratch() {}

    /** The calling thread's scratch arrays. */
    static CodecScratch get() {
        CodecScratch s = last;
        if (s != null && s.owner == Thread.currentThread()) {
            return s;
        }
        s = SCRATCH.get();
        last = s;
        return s;
    }

    /** A thread-owned array of at least {@code n} entries with unspecified contents. */
    long[] longs(int slot, int n) {
        if (n > KEPT_LENGTH) {
            return new long[n];
        }
        long[] a = arrays[slot];
        if (a.length < n) {
            a = new long[Math.max(n, Math.min(KEPT_LENGTH, 2 * a.length))];
            arrays[slot] = a;
        }
        return a;
    }
}
