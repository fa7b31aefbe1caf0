package io.jpgpool.config;

/** {@code log_error_verbosity}; numbers as PostgreSQL's PGErrorVerbosity (terse 0, default 1, verbose 2). */
public enum LogErrorVerbosity implements PgpoolEnum {
    TERSE,
    DEFAULT,
    VERBOSE;

    /** PGErrorVerbosity counts from 0. */
    @Override
    public int number() {
        return ordinal();
    }
}
