package io.jpgpool.core.admin;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * C's {@code printf("%f")} for the numbers pgpool prints with it (weights, averages): six decimals, rounded
 * from the exact binary value half-to-even as glibc does. {@code String.format("%f")} rounds Java's shortest
 * decimal form instead, which differs from C in the last digit now and then.
 */
public final class CFormat {
    private CFormat() {
    }

    public static String f(double v) {
        if (Double.isNaN(v)) {
            // x86 produces 0.0/0.0 with the sign bit set, which glibc prints as "-nan"
            return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        // C keeps the sign of a negative value that rounds to zero ("-0.000000"); BigDecimal drops it
        return v < 0 && !s.startsWith("-") || v == 0 && 1 / v < 0 ? "-" + s : s;
    }
}
