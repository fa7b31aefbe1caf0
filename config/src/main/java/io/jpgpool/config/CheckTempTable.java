package io.jpgpool.config;

/**
 * {@code check_temp_table}. pgpool also accepts {@code on} (= catalog) and {@code off} (= none)
 * for backward compatibility; they are read as the values they stand for.
 */
public enum CheckTempTable implements PgpoolEnum {
    CATALOG("catalog", 1),
    TRACE("trace", 2),
    NONE("none", 3);

    private final String pgpoolName;
    private final int number;

    CheckTempTable(String pgpoolName, int number) {
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
