package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstantFunctionsTest {

    @Test
    void log2IsExactForPowersOfTwoAndFollowsGoForTheSpecials() {
        assertThat(InstantFunctions.log2(8)).isEqualTo(3);
        assertThat(InstantFunctions.log2(0.125)).isEqualTo(-3);
        assertThat(InstantFunctions.log2(0x1p1000)).isEqualTo(1000);
        assertThat(InstantFunctions.log2(Double.MIN_VALUE)).isEqualTo(-1074);
        assertThat(InstantFunctions.log2(Double.MIN_NORMAL)).isEqualTo(-1022);
        assertThat(InstantFunctions.log2(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(InstantFunctions.log2(-0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(InstantFunctions.log2(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(InstantFunctions.log2(-1)).isNaN();
        assertThat(InstantFunctions.log2(Double.NaN)).isNaN();
        // Mantissa and exponent apart: log(0.75) / ln 2 + 2.
        assertThat(InstantFunctions.log2(3)).isEqualTo(StrictMath.log(0.75) * 1.4426950408889634 + 2);
    }
}
