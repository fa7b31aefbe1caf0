package io.jpgpool.config;

import java.math.BigInteger;
import java.util.List;

/**
 * The unit a numeric parameter is stored in. A value in pgpool.conf may carry a suffix of the same
 * kind ({@code 10s}, {@code 500ms}, {@code 64MB}) and is converted to this unit, as in PostgreSQL's
 * GUC files; a bare number is already in this unit.
 */
public enum Unit {
    NONE("", Kind.NONE, 1),
    MILLISECONDS("ms", Kind.TIME, 1_000L),
    SECONDS("s", Kind.TIME, 1_000_000L),
    MINUTES("min", Kind.TIME, 60_000_000L),
    BYTES("B", Kind.MEMORY, 1L),
    KILOBYTES("kB", Kind.MEMORY, 1024L);

    enum Kind { NONE, TIME, MEMORY }

    /** A suffix accepted in pgpool.conf and its size in the kind's smallest unit (µs or bytes). */
    record Suffix(String text, Kind kind, BigInteger size) {
    }

    // Largest first: PGPOOL SHOW prints a value in the largest unit that divides it exactly.
    static final List<Suffix> SUFFIXES = List.of(
            new Suffix("d", Kind.TIME, BigInteger.valueOf(86_400_000_000L)),
            new Suffix("h", Kind.TIME, BigInteger.valueOf(3_600_000_000L)),
            new Suffix("min", Kind.TIME, BigInteger.valueOf(60_000_000L)),
            new Suffix("s", Kind.TIME, BigInteger.valueOf(1_000_000L)),
            new Suffix("ms", Kind.TIME, BigInteger.valueOf(1_000L)),
            new Suffix("us", Kind.TIME, BigInteger.ONE),
            new Suffix("TB", Kind.MEMORY, BigInteger.ONE.shiftLeft(40)),
            new Suffix("GB", Kind.MEMORY, BigInteger.ONE.shiftLeft(30)),
            new Suffix("MB", Kind.MEMORY, BigInteger.ONE.shiftLeft(20)),
            new Suffix("kB", Kind.MEMORY, BigInteger.ONE.shiftLeft(10)),
            new Suffix("B", Kind.MEMORY, BigInteger.ONE));

    private final String symbol;
    private final Kind kind;
    private final BigInteger size;

    Unit(String symbol, Kind kind, long size) {
        this.symbol = symbol;
        this.kind = kind;
        this.size = BigInteger.valueOf(size);
    }

    /** The unit's symbol as in pgpool.conf ({@code s}, {@code ms}, {@code kB}...), empty for NONE. */
    public String symbol() {
        return symbol;
    }

    Kind kind() {
        return kind;
    }

    BigInteger size() {
        return size;
    }

    /** The words used in error messages ("not a whole number of seconds"). */
    String plural() {
        return switch (this) {
            case NONE -> "units";
            case MILLISECONDS -> "milliseconds";
            case SECONDS -> "seconds";
            case MINUTES -> "minutes";
            case BYTES -> "bytes";
            case KILOBYTES -> "kilobytes";
        };
    }

    String validSuffixesHint() {
        return kind == Kind.TIME
                ? "valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\" and \"d\""
                : "valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\" and \"TB\"";
    }

    /** {@code value} (in this unit) as PGPOOL SHOW prints it: in the largest unit that divides it. */
    String show(long value) {
        if (value <= 0 || kind == Kind.NONE) {
            return Long.toString(value);
        }
        BigInteger small = BigInteger.valueOf(value).multiply(size);
        for (Suffix s : SUFFIXES) {
            if (s.kind() != kind || s.size().compareTo(size) < 0) {
                continue;
            }
            BigInteger[] qr = small.divideAndRemainder(s.size());
            if (qr[1].signum() == 0) {
                return qr[0] + s.text();
            }
        }
        return value + symbol;
    }
}
