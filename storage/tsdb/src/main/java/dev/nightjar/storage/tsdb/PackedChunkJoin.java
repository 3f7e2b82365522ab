package dev.nightjar.storage.tsdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins a series' packed block chunks of one decimal scale into the longer chunks compaction writes,
 * without turning their integers into doubles and back. Counters and fixed-point gauges are packed,
 * so this is the usual case when blocks cut from the head are compacted; the result is what
 * {@link Chunks#encode} writes for the decoded samples, byte for byte (`PackedChunkJoinTest`).
 *
 * <p>Why the shortcut is exact: every input chunk was packed at the smallest scale that made each of its
 * values exact, so that scale is the smallest for their union too, and it yields the same integers; when
 * the packed piece is smaller than XOR or decimal could ever be, {@link Chunk#best} picks it without
 * counting those; above that floor their sizes are counted as {@code best} counts them.
 *
 * <p>One instance serves a whole compaction (one thread): its arrays are reused from series to series.
 */
final class PackedChunkJoin {

    private long[] ts = new long[Chunks.MAX_BLOCK_CHUNK_SAMPLES];
    private long[] ints = new long[Chunks.MAX_BLOCK_CHUNK_SAMPLES];
    private final long[] pieceTs = new long[Chunks.MAX_BLOCK_CHUNK_SAMPLES];
    private final long[] pieceInts = new long[Chunks.MAX_BLOCK_CHUNK_SAMPLES];
    private final double[] pieceValues = new double[Chunks.MAX_BLOCK_CHUNK_SAMPLES];

    /**
     * The joined chunks for {@code sorted} (ordered by time, not overlapping), or null when they are not all
     * packed at one scale; the caller then decodes and re-encodes them.
     */
    List<Chunk> join(List<Chunk> sorted) {
        int scale = -1;
        int total = 0;
        for (Chunk c : sorted) {
            int s = c.packedScale();
            if (s < 0 || (scale >= 0 && s != scale)) {
                return null;
            }
            scale = s;
            total += c.count();
        }
        if (total == 0) {
            return null;
        }
        if (ts.length < total) {
            ts = new long[Math.max(total, ts.length * 2)];
            ints = new long[ts.length];
        }
        int at = 0;
        for (Chunk c : sorted) {
            c.unpackInto(ts, ints, at);
            at += c.count();
        }
        List<Chunk> out = new ArrayList<>(total / Chunks.MAX_BLOCK_CHUNK_SAMPLES + 1);
        for (int from = 0; from < total; from += Chunks.MAX_BLOCK_CHUNK_SAMPLES) {
            int n = Math.min(Chunks.MAX_BLOCK_CHUNK_SAMPLES, total - from);
            // The codecs read their arrays from index 0.
            long[] pts = ts;
            long[] pints = ints;
            if (from > 0) {
                System.arraycopy(ts, from, pieceTs, 0, n);
                System.arraycopy(ints, from, pieceInts, 0, n);
                pts = pieceTs;
                pints = pieceInts;
            }
            Chunk packed = Chunk.packed(pts, pints, n, scale);
            Chunk best = Chunk.packedIfBest(pts, pints, n, scale, packed);
            if (best == null) {
                // Above the floor (random-walking gauges): the other sizes are counted on the values, as
                // best does after its scale search, which this skips.
                for (int i = 0; i < n; i++) {
                    pieceValues[i] = Chunk.scaled(pints[i], scale);
                }
                best = Chunk.bestOfExact(pts, pieceValues, pints, n, scale, packed);
            }
            out.add(best);
        }
        return out;
    }
}
