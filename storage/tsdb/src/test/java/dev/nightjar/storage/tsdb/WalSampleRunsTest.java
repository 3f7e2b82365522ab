package dev.nightjar.storage.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WalSampleRunsTest {

    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    @Test
    void runsRoundTripBitForBit() {
        long[][] times = {
            {1_700_000_000_000L, 1_700_000_015_000L, 1_700_000_030_000L, 1_700_000_045_000L},
            {-5_000, -4_000, 0, 7, 7_000_000_000_000L},
            {Long.MIN_VALUE, 0, Long.MAX_VALUE},
            {42}
        };
        double[][] values = {
            {12_345, 12_360, 12_360, 12_400.5},
            {STALE, -0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY},
            {Double.MIN_VALUE, -Double.MAX_VALUE, 0.1},
            {STALE}
        };
        WalSampleRuns encoder = new WalSampleRuns(4, 16);
        for (int r = 0; r < times.length; r++) {
            encoder.begin(100 + r);
            for (int i = 0; i < times[r].length; i++) {
                encoder.add(times[r][i], values[r][i]);
            }
            encoder.end();
        }
        WalRecord.Samples decoded = (WalRecord.Samples) WalCodec.decode(ByteBuffer.wrap(encoder.take()));

        int k = 0;
        for (int r = 0; r < times.length; r++) {
            for (int i = 0; i < times[r].length; i++, k++) {
                assertThat(decoded.ids()[k]).isEqualTo(100 + r);
                assertThat(decoded.timestamps()[k]).isEqualTo(times[r][i]);
                assertThat(Double.doubleToRawLongBits(decoded.values()[k]))
                        .isEqualTo(Double.doubleToRawLongBits(values[r][i]));
            }
        }
        assertThat(decoded.size()).isEqualTo(k);
    }

    @Test
    void aRegularCounterTakesAboutAThirdOfTheRawEncoding() {
        Random random = new Random(7);
        WalSampleRuns encoder = new WalSampleRuns(200, 2000);
        double[] all = new double[2000];
        int k = 0;
        for (int s = 0; s < 200; s++) {
            encoder.begin(s);
            double v = random.nextInt(1_000_000);
            for (int i = 0; i < 10; i++) {
                v += random.nextInt(100);
                all[k++] = v;
                encoder.add(1_700_000_000_000L + i * 15_000L, v);
            }
            encoder.end();
        }
        byte[] record = encoder.take();
        // Type 5 spent 3 bytes on the timestamp delta and 8 on the value: 11 per sample.
        assertThat(record.length).isLessThan(2000 * 11 / 2);
        WalRecord.Samples decoded = (WalRecord.Samples) WalCodec.decode(ByteBuffer.wrap(record));
        assertThat(Arrays.copyOf(decoded.values(), decoded.size())).containsExactly(all);
    }

    @Test
    void recordsOfTheEarlierRawLayoutStillReplay() {
        ByteBuffer raw = ByteBuffer.allocate(64);
        raw.put(WalSampleRuns.RAW_TYPE).putInt(1); // one run
        raw.put((byte) 9).putInt(2); // series 9, two samples
        raw.put((byte) 20); // t = 10 (zig-zag)
        raw.putLong(Double.doubleToRawLongBits(1.5));
        raw.put((byte) 10); // +5
        raw.putLong(Double.doubleToRawLongBits(STALE));
        raw.flip();

        WalRecord.Samples decoded = (WalRecord.Samples) WalCodec.decode(raw);

        assertThat(decoded.size()).isEqualTo(2);
        assertThat(decoded.ids()[1]).isEqualTo(9);
        assertThat(decoded.timestamps()[0]).isEqualTo(10);
        assertThat(decoded.timestamps()[1]).isEqualTo(15);
        assertThat(decoded.values()[0]).isEqualTo(1.5);
        assertThat(Double.doubleToRawLongBits(decoded.values()[1])).isEqualTo(0x7ff0000000000002L);
    }

    @Test
    void truncatedOrMalformedValuesAreCorruptNotMisread() {
        WalSampleRuns encoder = new WalSampleRuns(1, 2);
        encoder.begin(1);
        encoder.add(1_000, 123.456);
        encoder.add(2_000, 654.321);
        encoder.end();
        byte[] record = encoder.take();
        for (int cut = 6; cut < record.length; cut++) {
            ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(record, cut));
            assertThatThrownBy(() -> WalCodec.decode(in)).isInstanceOf(CorruptChunkException.class);
        }
        // A header keeping no byte at all (7 leading and 8 trailing zero bytes) is malformed.
        ByteBuffer bad = ByteBuffer.allocate(16);
        bad.put(WalSampleRuns.TYPE)
                .putInt(1)
                .put((byte) 1)
                .putInt(1)
                .put((byte) 2)
                .put((byte) 0x78)
                .put((byte) 1);
        bad.flip();
        assertThatThrownBy(() -> WalCodec.decode(bad)).isInstanceOf(CorruptChunkException.class);
    }
}
