package io.jpgpool.config;

/**
 * {@code check_temp_table}. pgpool also accepts {@code on} (= catalog) and {@code off} (= none)
 * for backward compatibility; they are read as the values they stand for.
 */
public enum CheckTempTable implements PgpoolEnum {
    CATALOG,
    TRACE,
    NONE
}
