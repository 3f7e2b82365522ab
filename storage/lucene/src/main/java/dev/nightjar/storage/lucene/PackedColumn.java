package dev.nightjar.storage.lucene;

/**
 * A column of longs as frame of reference plus fixed-width bits: the smallest value, the bit width of
 * the largest difference from it, and the differences packed back to back. For near-random numbers with
 * a known range (observed-time offsets) this is close to their entropy, where varints inside zstd cost
 * whole bytes and share zstd's literal table with text.
 */
final class PackedColumn {

    private PackedColumn() {}

    static void write(ByteWriter out, long[] values, int n) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        if (n == 0) {
            min = max = 0;
        }
        int width = 64 - Long.numberOfLeadingZeros(max - min); // unsigned difference: fits in 64 bits
        out.zlong(min);
        out.b(width);
        long acc = 0;
        int bits = 0;
        for (int i = 0; i < n; i++) {
            long x = values[i] - min;
            int left = width;
            while (left > 0) {
                int take = Math.min(left, 64 - bits);
                long part = take == 64 ? x : x & ((1L << take) - 1);
                acc |= part << bits;
                x = take == 64 ? 0 : x >>> take;
                left -= take;
                bits += take;
                if (bits == 64) {
                    out.fixed64(Long.reverseBytes(acc));
                    acc = 0;
                    bits = 0;
                }
            }
        }
        for (int b = 0; b < bits; b += 8) {
            out.b((int) (acc >>> b) & 0xFF);
        }
    }

    static long[] read(ByteReader in, int n) {
        long min = in.zlong();
        int width = in.b();
        if (width > 64) {
            throw new IllegalStateException("corrupt packed column");
        }
        long bytes = ((long) n * width + 7) / 8;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalStateException("corrupt packed column");
        }
        byte[] p = in.bytes((int) bytes);
        long[] out = new long[n];
        long pos = 0;
        for (int i = 0; i < n; i++) {
            long x = 0;
            int got = 0;
            while (got < width) {
                int off = (int) (pos & 7);
                int take = Math.min(8 - off, width - got);
                long chunk = ((p[(int) (pos >>> 3)] & 0xFF) >>> off) & ((1 << take) - 1);
                x |= chunk << got;
                got += take;
                pos += take;
            }
            out[i] = min + x;
        }
        return out;
    }

    /**
     * A column of few distinct values (severities, resource indexes, id presence): the distinct values,
     * then each record's index among them in as few bits as they need (3 bits for 5 severities).
     */
    static void writeCoded(ByteWriter out, int[] values, int n) {
        int[] distinct =
                java.util.Arrays.stream(values, 0, n).distinct().sorted().toArray();
        out.vlong(distinct.length);
        for (int v : distinct) {
            out.zlong(v);
        }
        long[] codes = new long[n];
        for (int i = 0; i < n; i++) {
            codes[i] = java.util.Arrays.binarySearch(distinct, values[i]);
        }
        write(out, codes, n);
    }

    static int[] readCoded(ByteReader in, int n) {
        long count = in.vlong();
        if (count < 0 || count > n) {
            throw new IllegalStateException("corrupt coded column");
        }
        int[] distinct = new int[(int) count];
        for (int d = 0; d < distinct.length; d++) {
            distinct[d] = (int) in.zlong();
        }
        long[] codes = read(in, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (codes[i] < 0 || codes[i] >= count) {
                throw new IllegalStateException("corrupt coded column");
            }
            out[i] = distinct[(int) codes[i]];
        }
        return out;
    }
}
