package io.jpgpool.config;

/** {@code log_error_verbosity}; numbers as PostgreSQL's PGErrorVerbosity (terse 0, default 1, verbose 2). */
public enum LogErrorVerbosity implements PgpoolEnum {
    TERSE("terse", 0),
    DEFAULT("default", 1),
    VERBOSE("verbose", 2);

    private final String pgpoolName;
    private final int number;

    LogErrorVerbosity(String pgpoolName, int number) {
        this.pgpoolName = pgpoolName;
        this.number = number;
    }

    @Override
    public String pgpoolName() {
        return pgpoolName;
    }

    @Override
    public int number() {
        return number;
    }
}
