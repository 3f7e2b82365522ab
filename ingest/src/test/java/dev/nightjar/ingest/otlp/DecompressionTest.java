package dev.nightjar.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DecompressionTest {

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The trailer's last four bytes are the claimed size; a sender may write anything there. */
    private static byte[] withClaimedSize(byte[] gz, long claimed) {
        byte[] out = gz.clone();
        int n = out.length;
        for (int i = 0; i < 4; i++) {
            out[n - 4 + i] = (byte) (claimed >>> (8 * i));
        }
        return out;
    }

    @Test
    void roundTripsBodiesOfEverySizeExactly() throws Exception {
        for (int size : new int[] {0, 1, 63, 64, 65, 4096, 100_000}) {
            byte[] raw = randomBytes(size, size);
            assertThat(Decompression.gunzip(gzip(raw), 1 << 20)).isEqualTo(raw);
        }
    }

    @Test
    void aBodyOfExactlyTheCapPassesAndOneByteMoreIsRefused() throws Exception {
        byte[] raw = randomBytes(10_000, 1);
        assertThat(Decompression.gunzip(gzip(raw), 10_000)).isEqualTo(raw);
        assertThatThrownBy(() -> Decompression.gunzip(gzip(raw), 9_999))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageContaining("9999");
    }

    @Test
    void aDecompressionBombStopsAtTheCap() throws Exception {
        byte[] bomb = gzip(new byte[50 << 20]); // 50 MiB of zeros in ~50 KiB
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> Decompression.gunzip(bomb, 1 << 20)).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void aTrailerThatLiesAboutTheSizeIsMalformedAndCannotLetABombPastTheCap() throws Exception {
        byte[] raw = randomBytes(50_000, 2);
        byte[] gz = gzip(raw);
        assertThat(Decompression.gunzip(withClaimedSize(gz, raw.length), 1 << 20))
                .isEqualTo(raw);
        // too large, too small, zero, the largest 32-bit claim: the first array is a guess, the trailer check refuses
        for (long claimed : new long[] {0, 1, 1000, 49_999, 50_001, 0xFFFFFFFFL}) {
            assertThatThrownBy(() -> Decompression.gunzip(withClaimedSize(gz, claimed), 1 << 20))
                    .as("claimed %d", claimed)
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(BodyTooLargeException.class);
        }
        // a bomb that claims to be small still stops at the cap, before its trailer is read
        byte[] bomb = withClaimedSize(gzip(new byte[4 << 20]), 100);
        assertThatThrownBy(() -> Decompression.gunzip(bomb, 1 << 20)).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void concatenatedMembersAreOneBody() throws Exception {
        byte[] a = randomBytes(3000, 3);
        byte[] b = randomBytes(5000, 4);
        byte[] gz1 = gzip(a);
        byte[] gz2 = gzip(b);
        byte[] both = Arrays.copyOf(gz1, gz1.length + gz2.length);
        System.arraycopy(gz2, 0, both, gz1.length, gz2.length);
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertThat(Decompression.gunzip(both, 1 << 20)).isEqualTo(expected);
    }

    @Test
    void truncatedOrForeignBytesAreMalformedNotCrashes() throws Exception {
        byte[] gz = gzip(randomBytes(10_000, 5));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> Decompression.gunzip(cut, 1 << 20)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Decompression.gunzip(new byte[] {1, 2, 3}, 1 << 20))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Decompression.gunzip(new byte[0], 1 << 20)).isInstanceOf(IOException.class);
    }
}
