package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import org.apache.lucene.util.BytesRef;

/**
 * A Bloom filter over the high-entropy values of one log block (~1 % false positives at 10 bits per
 * value): its trace and span ids, the body words and the record-attribute values that {@link
 * #highEntropy} picks (hex ids, long numbers, addresses). Such values are nearly unique, so as index
 * terms each would cost ~6-20 bytes in the terms dictionary; here they cost ~1.3 bytes, and a filter
 * naming one skips the blocks whose filter says "absent" without decompressing them. A "maybe" is then
 * checked exactly on the decoded block.
 */
final class IdFilter {

    private static final int HASHES = 7;
    private static final int BITS_PER_ID = 10;
    private static final long SPAN_SEED = 0x9E3779B97F4A7C15L;
    private static final long WORD_SEED = 0xC2B2AE3D27D4EB4FL;
    private static final long TERM_SEED = 0x165667B19E3779F9L;
    /** Shorter words with digits (status codes, small counts, ports) repeat often: they stay terms. */
    static final int MIN_HIGH_ENTROPY_CHARS = 6;

    private IdFilter() {}

    static long hash(TraceId id) {
        return mix(id.high() ^ mix(id.low()));
    }

    static long hash(SpanId id) {
        return mix(id.value() ^ SPAN_SEED);
    }

    /**
     * Whether a body word or attribute value goes to the filter instead of the terms dictionary: at
     * least {@value #MIN_HIGH_ENTROPY_CHARS} characters with an ASCII digit among them (request ids,
     * UUID parts, long numbers, IP addresses, durations). Index and query side both decide with this
     * function of the value alone, so they agree by construction; a word that lands here by mistake
     * only costs a filter check, never a wrong answer.
     */
    static boolean highEntropy(CharSequence s) {
        if (s.length() < MIN_HIGH_ENTROPY_CHARS) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    static boolean highEntropy(char[] s, int length) {
        if (length < MIN_HIGH_ENTROPY_CHARS) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s[i] >= '0' && s[i] <= '9') {
                return true;
            }
        }
        return false;
    }

    /** A body word (as {@code FullText} cuts and folds it). */
    static long hashWord(char[] chars, int length) {
        long h = WORD_SEED;
        for (int i = 0; i < length; i++) {
            h = (h ^ chars[i]) * 0x100000001B3L;
        }
        return mix(h ^ length);
    }

    static long hashWord(String word) {
        return hashWord(word.toCharArray(), word.length());
    }

    /** A record-attribute keyword term ({@link Terms#keyword}). */
    static long hashTerm(BytesRef term) {
        long h = TERM_SEED;
        for (int i = 0; i < term.length; i++) {
            h = (h ^ (term.bytes[term.offset + i] & 0xFF)) * 0x100000001B3L;
        }
        return mix(h ^ term.length);
    }

    /** The filter of {@code count} hashes (duplicates allowed; sorted in place), as bytes. */
    static byte[] build(long[] hashes, int count) {
        // distinct hashes size the filter: a trace id repeats on every record of its trace
        java.util.Arrays.sort(hashes, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (distinct == 0 || hashes[distinct - 1] != hashes[i]) {
                hashes[distinct++] = hashes[i];
            }
        }
        count = distinct;
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
