package io.jpgpool.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** C's "%f": six decimals from the exact binary value, rounded half to even (glibc). */
class CFormatTest {
    @Test
    void weightsAsPgpoolSendsAndPrintsThem() {
        assertThat(CFormat.f(2147483647.0 * 1 / 4)).isEqualTo("536870911.750000");
        assertThat(CFormat.f(2147483647.0 * 3 / 4)).isEqualTo("1610612735.250000");
        assertThat(CFormat.f(2147483647.0 * 1 / 3)).isEqualTo("715827882.333333");
        assertThat(CFormat.f(2147483647.0 * 1 / 3 / 2147483647)).isEqualTo("0.333333");
        assertThat(CFormat.f(0)).isEqualTo("0.000000");
        assertThat(CFormat.f(13.0 / 3)).isEqualTo("4.333333");
    }

    @Test
    void roundsTheExactBinaryValueLikeGlibc() {
        // 0.0000005 is a little below one half-millionth in binary: C prints 0.000000 where Java's %f says 0.000001
        assertThat(CFormat.f(0.0000005)).isEqualTo("0.000000");
        assertThat(CFormat.f(2.5e-6)).isEqualTo("0.000003");
        assertThat(CFormat.f(0.125)).isEqualTo("0.125000");
        assertThat(CFormat.f(-0.0000001)).isEqualTo("-0.000000");
    }

    @Test
    void specialValues() {
        assertThat(CFormat.f(0.0 / 0.0)).isIn("nan", "-nan");
        assertThat(CFormat.f(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    }
}
