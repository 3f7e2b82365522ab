package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.metrics.SampleIterator;
import dev.nightjar.core.metrics.StaleMarker;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkTest {

    private static void assertRoundTrip(Chunk chunk, long[] ts, double[] vs) {
        SampleIterator it = chunk.iterator();
        for (int i = 0; i < ts.length; i++) {
            assertThat(it.next()).as("sample %d present", i).isTrue();
            assertThat(it.timestamp()).as("timestamp %d", i).isEqualTo(ts[i]);
            assertThat(Double.doubleToRawLongBits(it.value()))
                    .as("value %d bits (%s)", i, vs[i])
                    .isEqualTo(Double.doubleToRawLongBits(vs[i]));
        }
        assertThat(it.next()).isFalse();
        assertThat(chunk.count()).isEqualTo(ts.length);
        assertThat(chunk.minTime()).isEqualTo(ts[0]);
        assertThat(chunk.maxTime()).isEqualTo(ts[ts.length - 1]);
    }

    private static void assertBothEncodings(long[] ts, double[] vs) {
        assertRoundTrip(Chunk.xor(ts, vs, ts.length), ts, vs);
        Chunk best = Chunk.best(ts, vs, ts.length);
        assertRoundTrip(best, ts, vs);
        Chunk reparsed = Chunk.parse(best.data(), best.maxTime());
        assertRoundTrip(reparsed, ts, vs);
    }

    @Test
    void randomSamplesRoundTrip() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(round % 5 == 0 ? Chunks.MAX_BLOCK_CHUNK_SAMPLES : ChunkAppender.MAX_SAMPLES);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long t = random.nextLong(-1L << 50, 1L << 50);
            for (int i = 0; i < n; i++) {
                t += switch (random.nextInt(5)) {
                    case 0 -> 15_000;
                    case 1 -> random.nextInt(100);
                    case 2 -> 0;
                    case 3 -> random.nextLong(1L << 40);
                    default -> 15_000 + random.nextInt(2000) - 1000;
                };
                ts[i] = t;
                vs[i] = switch (random.nextInt(6)) {
                    case 0 -> random.nextDouble();
                    case 1 -> random.nextInt(1000);
                    case 2 -> i > 0 ? vs[i - 1] : 1;
                    case 3 -> Double.longBitsToDouble(random.nextLong());
                    case 4 -> Math.round(random.nextDouble() * 1e4) / 100.0;
                    default -> random.nextGaussian() * 1e300;
                };
            }
            assertBothEncodings(ts, vs);
        }
    }

    @Test
    void edgeValuesRoundTrip() {
        long[] ts = {0, 0, 1, 1, 2, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 1};
        double[] vs = {
            Double.NaN,
            StaleMarker.VALUE,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            -Double.MAX_VALUE
        };
        assertBothEncodings(ts, vs);
        assertBothEncodings(new long[] {-5_000, -5_000, -4_000}, new double[] {1, 1, 1});
        assertBothEncodings(new long[] {7}, new double[] {StaleMarker.VALUE});
    }

    @Test
    void integerCountersUseTheDecimalEncodingAndAreSmall() {
        int n = ChunkAppender.MAX_SAMPLES;
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = 1_700_000_000_000L + i * 15_000L;
            vs[i] = 1000 + i * 37;
        }
        Chunk best = Chunk.best(ts, vs, n);
        assertThat(best.data()[0]).isNotEqualTo(Chunk.XOR);
        assertThat(best.data().length).isLessThan(Chunk.xor(ts, vs, n).data().length);
        assertThat(best.data().length).isLessThan(n / 4 + 30);
        assertRoundTrip(best, ts, vs);
    }

    @Test
    void packedEncodingHandlesCountersGaugesAndExtremes() {
        java.util.Random random = new java.util.Random(9);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(600);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long t = 1_700_000_000_000L;
            double v = random.nextInt(1000);
            for (int i = 0; i < n; i++) {
                t += round % 3 == 0 ? 15_000 : random.nextInt(30_000);
                ts[i] = t;
                v += switch (round % 4) {
                    case 0 -> random.nextInt(90);
                    case 1 -> (random.nextInt(2001) - 1000) * 4096.0;
                    case 2 -> (random.nextInt(3) - 1) / 10.0;
                    default -> random.nextBoolean() ? (1L << 50) : -(1L << 50);
                };
                v = Math.round(v * 10) / 10.0;
                vs[i] = v;
            }
            Chunk best = Chunk.best(ts, vs, n);
            assertRoundTrip(best, ts, vs);
            assertRoundTrip(Chunk.parse(best.data(), best.maxTime()), ts, vs);
            // Skipping encodings that cannot win never costs a byte: best is the smallest of all three.
            int smallest = Chunk.xor(ts, vs, n).data().length;
            int scale = Chunk.decimalScale(vs, n);
            if (scale >= 0) {
                long[] ints = new long[n];
                for (int i = 0; i < n; i++) {
                    ints[i] = Math.round(vs[i] * Math.pow(10, scale));
                }
                smallest = Math.min(smallest, Chunk.decimal(ts, ints, n, scale).data().length);
                smallest = Math.min(smallest, Chunk.packed(ts, ints, n, scale).data().length);
            }
            assertThat(best.data().length).isEqualTo(smallest);
        }
    }

    @Test
    void decimalScaleIsRefusedWhereItWouldNotBeExact() {
        assertThat(Chunk.decimalScale(new double[] {1.25, 2.5}, 2)).isEqualTo(2);
        assertThat(Chunk.decimalScale(new double[] {0.1 + 0.2}, 1)).isEqualTo(-1);
        assertThat(Chunk.decimalScale(new double[] {Double.NaN}, 1)).isEqualTo(-1);
        assertThat(Chunk.decimalScale(new double[] {-0.0}, 1)).isEqualTo(-1);
        assertThat(Chunk.decimalScale(new double[] {1e300}, 1)).isEqualTo(-1);
    }

    @Test
    void truncatedChunkFailsInsteadOfInventingSamples() {
        long[] ts = {1000, 2000, 3000, 4000};
        double[] vs = {1.5, 2.25, 3.125, 99.0};
        Chunk chunk = Chunk.xor(ts, vs, 4);
        byte[] cut = java.util.Arrays.copyOf(chunk.data(), chunk.data().length - 3);
        SampleIterator it = new Chunk(cut, 1000, 4000, 4).iterator();
        assertThatThrownBy(() -> {
                    while (it.next()) {
                        it.value();
                    }
                })
                .isInstanceOf(CorruptChunkException.class);
        assertThatThrownBy(() -> new Chunk(new byte[] {9, 1, 0}, 0, 0, 1).iterator())
                .isInstanceOf(CorruptChunkException.class);
    }

    @Test
    void bestIsTheSmallestOfTheThreeEncodingsWhoseSizesItCountsWithoutWritingThem() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(600);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long t = random.nextLong(1L << 42);
            double v = random.nextInt(1000) / (trial % 3 == 0 ? 1.0 : 100.0);
            for (int i = 0; i < n; i++) {
                t += trial % 4 == 0 ? 15_000 : 14_000 + random.nextInt(2_000);
                v += trial % 5 == 0 ? 0 : random.nextInt(trial % 2 == 0 ? 50 : 50_000) / (trial % 3 == 0 ? 1.0 : 100.0);
                ts[i] = t;
                vs[i] = trial % 7 == 0 ? random.nextDouble() : v;
            }
            Chunk best = Chunk.best(ts, vs, n);
            Chunk xor = Chunk.xor(ts, vs, n);
            int smallest = xor.data().length;
            long[] ints = new long[n];
            int scale = Chunk.decimalScale(vs, n, ints);
            if (scale >= 0) {
                smallest = Math.min(smallest, Chunk.decimal(ts, ints, n, scale).data().length);
                smallest = Math.min(smallest, Chunk.packed(ts, ints, n, scale).data().length);
            }
            assertThat(best.data().length).as("trial %d", trial).isEqualTo(smallest);
            assertRoundTrip(best, ts, vs);
        }
    }

    /** The scale search as it was before scale 0 skipped the division: the fast path must agree with it. */
    private static int referenceDecimalScale(double[] vs, int n) {
        double[] powers = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
        for (int scale = 0; scale <= Chunk.MAX_DECIMAL_SCALE; scale++) {
            boolean exact = true;
            for (int i = 0; i < n && exact; i++) {
                double scaled = vs[i] * powers[scale];
                if (!Double.isFinite(scaled) || Math.abs(scaled) >= 0x1p52 || vs[i] == 0 && 1 / vs[i] < 0) {
                    return -1;
                }
                exact = Double.doubleToRawLongBits(Math.round(scaled) / powers[scale])
                        == Double.doubleToRawLongBits(vs[i]);
            }
            if (exact) {
                return scale;
            }
        }
        return -1;
    }

    @Test
    void decimalScaleAgreesWithTheSearchThatDividedAtEveryScale() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        double[] edges = {
            0.0,
            -0.0,
            1,
            -1,
            0x1p52,
            0x1p52 - 1,
            -0x1p52,
            1e15,
            4503599627370495.5,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.MIN_VALUE,
            0.1,
            1e-6,
            1e-7,
            123.456789,
            StaleMarker.VALUE
        };
        for (int trial = 0; trial < 2_000; trial++) {
            int n = 1 + random.nextInt(40);
            double[] vs = new double[n];
            for (int i = 0; i < n; i++) {
                vs[i] = switch (random.nextInt(5)) {
                    case 0 -> random.nextInt(1_000_000);
                    case 1 -> random.nextInt(1_000_000) / Math.pow(10, random.nextInt(8));
                    case 2 -> edges[random.nextInt(edges.length)];
                    case 3 -> random.nextDouble() * 1e6;
                    default -> -random.nextLong(1L << 53);
                };
            }
            long[] ints = new long[n];
            int scale = Chunk.decimalScale(vs, n, ints);
            assertThat(scale).as("trial %d", trial).isEqualTo(referenceDecimalScale(vs, n));
            if (scale >= 0) {
                for (int i = 0; i < n; i++) {
                    assertThat(Chunk.scaled(ints[i], scale)).isEqualTo(vs[i]);
                }
            }
        }
    }
}
