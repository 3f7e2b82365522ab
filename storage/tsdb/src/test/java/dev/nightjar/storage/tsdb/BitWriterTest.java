package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time writer lays out exactly the bits a one-bit-at-a-time writer would. */
class BitWriterTest {

    @Test
    void matchesABitAtATimeReferenceAtEveryWidthAndAlignment() {
        Random random = new Random(11);
        BitWriter out = new BitWriter(8);
        byte[] reference = new byte[64 * 3_000];
        long bit = 0;
        for (int i = 0; i < 3_000; i++) {
            int width = random.nextInt(65);
            // High bits beyond the width must be ignored, as callers pass negative deltas unmasked.
            long value = random.nextLong();
            out.writeBits(value, width);
            for (int b = width - 1; b >= 0; b--) {
                if (((value >>> b) & 1) != 0) {
                    reference[(int) (bit >>> 3)] |= (byte) (0x80 >>> (bit & 7));
                }
                bit++;
            }
            assertThat(out.bitCount()).isEqualTo(bit);
        }
        byte[] written = out.toByteArray();
        assertThat(written).hasSize((int) ((bit + 7) >>> 3));
        assertThat(written).isEqualTo(Arrays.copyOf(reference, written.length));
    }

    @Test
    void copiesPendingBitsPaddedWithZerosAtAnOffset() {
        BitWriter out = new BitWriter(8);
        out.writeBits(0b101, 3);
        out.writeBits(-1L, 64);
        byte[] target = new byte[12];
        target[0] = 0x7f;
        out.copyTo(target, 1);
        assertThat(out.byteCount()).isEqualTo(9);
        assertThat(target[0]).isEqualTo((byte) 0x7f);
        assertThat(target[1]).isEqualTo((byte) 0b1011_1111);
        assertThat(target[9]).isEqualTo((byte) 0b1110_0000);
        assertThat(target[10]).isZero();
    }
}
