package io.jpgpool.config;

/** {@code relcache_query_target}: where pgpool sends its catalog look-ups. */
public enum RelcacheQueryTarget implements PgpoolEnum {
    PRIMARY,
    LOAD_BALANCE_NODE
}
