package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import org.apache.lucene.util.BytesRef;

/**
 * A Bloom filter over the trace and span ids of one log block (~1 % false positives at 10 bits per id).
 * Trace and span ids are random, so as index terms each would cost ~20 bytes in the terms dictionary;
 * here they cost ~1.3 bytes, and a {@code trace_id}/{@code span_id} filter skips the blocks whose filter
 * says "absent" without decompressing them. A "maybe" is then checked exactly on the decoded block.
 */
final class IdFilter {

    private static final int HASHES = 7;
    private static final int BITS_PER_ID = 10;
    private static final long SPAN_SEED = 0x9E3779B97F4A7C15L;

    private IdFilter() {}

    static long hash(TraceId id) {
        return mix(id.high() ^ mix(id.low()));
    }

    static long hash(SpanId id) {
        return mix(id.value() ^ SPAN_SEED);
    }

    /** The filter of {@code count} hashes, as bytes. */
    static byte[] build(long[] hashes, int count) {
        int words = Math.max(1, (count * BITS_PER_ID + 63) / 64);
        long[] bits = new long[words];
        long nbits = words * 64L;
        for (int i = 0; i < count; i++) {
            long h1 = hashes[i];
            long h2 = (h1 >>> 32) | 1;
            for (int k = 0; k < HASHES; k++) {
                long bit = Math.floorMod(h1 + k * h2, nbits);
                bits[(int) (bit >>> 6)] |= 1L << bit;
            }
        }
        byte[] out = new byte[words * 8];
        for (int w = 0; w < words; w++) {
            for (int b = 0; b < 8; b++) {
                out[w * 8 + b] = (byte) (bits[w] >>> (8 * b));
            }
        }
        return out;
    }

    static boolean mightContain(BytesRef filter, long hash) {
        long nbits = filter.length * 8L;
        if (nbits == 0) {
            return false;
        }
        long h2 = (hash >>> 32) | 1;
        for (int k = 0; k < HASHES; k++) {
            long bit = Math.floorMod(hash + k * h2, nbits);
            int b = filter.bytes[filter.offset + (int) (bit >>> 3)];
            if ((b & (1 << (bit & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
