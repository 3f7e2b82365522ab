package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedChunkJoinTest {

    /** Three 2 h blocks' chunks of one series, each as a cut encodes it, with values of the given kind. */
    private static List<Chunk> blocks(SplittableRandom random, int kind, int[] sizes) {
        List<Chunk> out = new ArrayList<>();
        long t = random.nextLong(1L << 42);
        double v = random.nextInt(1000);
        for (int b = 0; b < sizes.length; b++) {
            SampleBuffer samples = new SampleBuffer();
            for (int i = 0; i < sizes[b]; i++) {
                t += kind % 2 == 0 ? 15_000 : 14_000 + random.nextInt(2_000);
                v += switch (kind) {
                    case 0, 1 -> random.nextInt(40); // counter
                    case 2 -> random.nextInt(2) == 0 ? 0 : 1_000 * random.nextInt(5); // bursty counter
                    case 3 -> (random.nextInt(200) - 100) / 100.0; // fixed-point gauge
                    case 4 -> random.nextInt(1 << 30) * (random.nextBoolean() ? 1 : -1); // wide jumps
                    default -> 0; // flat
                };
                // kind 5: a scale of its own per block (1, then 2 decimals); kind 6: raw doubles (XOR)
                double value = kind == 5 ? v + (b == 0 ? 0.5 : 0.25) : kind == 6 ? random.nextDouble() : v;
                samples.add(t, value);
            }
            out.addAll(Chunks.encode(samples));
        }
        return out;
    }

    @Test
    void joinedChunksAreWhatDecodingAndReEncodingWrites() {
        SplittableRandom random = new SplittableRandom(11);
        PackedChunkJoin join = new PackedChunkJoin();
        int joinedSeries = 0;
        for (int trial = 0; trial < 400; trial++) {
            int kind = trial % 8;
            int[] sizes = trial % 3 == 0
                    ? new int[] {480, 480, 480}
                    : new int[] {1 + random.nextInt(700), 1 + random.nextInt(1100), 1 + random.nextInt(30)};
            List<Chunk> chunks = blocks(random, kind, sizes);
            SampleBuffer decoded = new SampleBuffer();
            for (Chunk c : chunks) {
                c.decodeInto(decoded, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            List<Chunk> expected = Chunks.encode(decoded);
            List<Chunk> joined = join.join(chunks);
            boolean onePackedScale = chunks.stream().allMatch(c -> c.packedScale() >= 0)
                    && chunks.stream().mapToInt(Chunk::packedScale).distinct().count() == 1;
            if (!onePackedScale) {
                assertThat(joined)
                        .as("trial %d (kind %d): not all packed at one scale", trial, kind)
                        .isNull();
                continue;
            }
            joinedSeries++;
            assertThat(joined).as("trial %d (kind %d)", trial, kind).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(joined.get(i).data())
                        .as("trial %d chunk %d", trial, i)
                        .isEqualTo(expected.get(i).data());
                assertThat(joined.get(i).minTime()).isEqualTo(expected.get(i).minTime());
                assertThat(joined.get(i).maxTime()).isEqualTo(expected.get(i).maxTime());
                assertThat(joined.get(i).count()).isEqualTo(expected.get(i).count());
            }
        }
        // The kinds above cover both outcomes; most series of a real fleet take the joined path.
        assertThat(joinedSeries).isBetween(150, 350);
    }

    @Test
    void aCorruptScaleIsReportedNotJoined() {
        long[] ts = {1_000, 16_000, 31_000};
        long[] ints = {1, 2, 3};
        Chunk packed = Chunk.packed(ts, ints, 3, 0);
        byte[] bad = packed.data().clone();
        // encoding, count (1 byte), first timestamp (2 bytes as a zig-zag varint), then the scale
        bad[4] = 9;
        Chunk corrupt = new Chunk(bad, packed.minTime(), packed.maxTime(), packed.count());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PackedChunkJoin().join(List.of(corrupt)))
                .isInstanceOf(CorruptChunkException.class);
    }
}
