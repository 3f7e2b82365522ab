package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bit reads take an 8-byte fast path away from the end of the data and a byte loop near it. */
class BitReaderTest {

    @Test
    void readsBackEveryWidthAtEveryAlignmentUpToTheLastBit() {
        Random random = new Random(7);
        int n = 5_000;
        int[] widths = new int[n];
        long[] values = new long[n];
        BitWriter out = new BitWriter(16);
        for (int i = 0; i < n; i++) {
            widths[i] = random.nextInt(65);
            values[i] = widths[i] == 64 ? random.nextLong() : random.nextLong() & ((1L << widths[i]) - 1);
            out.writeBits(values[i], widths[i]);
        }
        byte[] bytes = out.toByteArray();
        BitReader in = new BitReader(bytes, 0, bytes.length);
        for (int i = 0; i < n; i++) {
            assertThat(in.readBits(widths[i]))
                    .as("value %d of width %d", i, widths[i])
                    .isEqualTo(values[i]);
        }
    }

    @Test
    void readingPastTheEndFailsInsteadOfInventingZeros() {
        byte[] bytes = {(byte) 0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        // A window of 2 bytes inside a longer array: the fast path must not read beyond the window.
        BitReader in = new BitReader(bytes, 0, 2);
        assertThat(in.readBits(9)).isEqualTo(0x1fe);
        assertThatThrownBy(() -> in.readBits(8)).isInstanceOf(CorruptChunkException.class);
        assertThat(in.readBits(7)).isEqualTo(1);
        assertThatThrownBy(() -> in.readBits(1)).isInstanceOf(CorruptChunkException.class);
    }
}
