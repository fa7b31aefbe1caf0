package io.jpgpool.config;

/** {@code wd_lifecheck_method}; numbers as pgpool's {@code WdLifeCheckMethod} (heartbeat = 2 in pool_status). */
public enum WdLifecheckMethod implements PgpoolEnum {
    QUERY,
    HEARTBEAT,
    EXTERNAL
}
