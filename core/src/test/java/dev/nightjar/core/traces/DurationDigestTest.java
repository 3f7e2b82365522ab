package dev.nightjar.core.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationDigestTest {

    @Test
    void exactNearestRankForSmallSets() {
        DurationDigest d = new DurationDigest();
        for (int i = 100; i >= 1; i--) {
            d.add(i);
        }
        assertThat(d.quantile(0.5)).isEqualTo(50);
        assertThat(d.quantile(0.95)).isEqualTo(95);
        assertThat(d.quantile(0.99)).isEqualTo(99);
        assertThat(d.quantile(1.0)).isEqualTo(100);
        assertThat(new DurationDigest().quantile(0.5)).isZero();
    }

    @Test
    void quantilesAskedBetweenAddsStayExact() {
        Random random = new Random(2);
        DurationDigest d = new DurationDigest();
        long[] values = new long[DurationDigest.EXACT_LIMIT + 10];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(1_000_000);
            d.add(values[i]);
            if (i % 997 == 0 || i >= DurationDigest.EXACT_LIMIT - 2) {
                long[] sorted = Arrays.copyOf(values, i + 1);
                Arrays.sort(sorted);
                for (double q : new double[] {0.5, 0.95, 0.99}) {
                    long expected = sorted[(int) Math.max(1, Math.ceil(q * (i + 1))) - 1];
                    if (i < DurationDigest.EXACT_LIMIT) {
                        assertThat(d.quantile(q)).as("q=%s after %d", q, i + 1).isEqualTo(expected);
                    } else {
                        assertThat((double) d.quantile(q)).isCloseTo(expected, within(expected * 0.008 + 1));
                    }
                }
            }
        }
        assertThat(d.count()).isEqualTo(values.length);
    }

    @Test
    void largeSetsStayWithinOnePercent() {
        Random random = new Random(1);
        int n = DurationDigest.EXACT_LIMIT * 3;
        long[] values = new long[n];
        DurationDigest d = new DurationDigest();
        for (int i = 0; i < n; i++) {
            values[i] = (long) Math.exp(random.nextGaussian() * 2 + 16); // log-normal around ~9 ms
            d.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(q * n) - 1];
            assertThat((double) d.quantile(q)).as("q=%s", q).isCloseTo(exact, within(exact * 0.008 + 1));
        }
        assertThat(d.count()).isEqualTo(n);
    }

    @Test
    void bucketsAreMonotonic() {
        int last = -1;
        for (long v = 0; v < 1_000_000; v += 37) {
            int b = DurationDigest.bucketOf(v);
            assertThat(b).isGreaterThanOrEqualTo(last);
            last = b;
        }
        assertThat(DurationDigest.bucketOf(Long.MAX_VALUE)).isLessThan(64 * 128);
    }
}
