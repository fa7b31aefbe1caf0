package io.jpgpool.config;

/** {@code log_standby_delay}; numbers per PCP_SPEC §8.3. */
public enum LogStandbyDelay implements PgpoolEnum {
    ALWAYS,
    IF_OVER_THRESHOLD,
    NONE
}
