package io.jpgpool.config;

/**
 * An enum-valued pgpool.conf setting: its spelling in pgpool.conf and the number that
 * {@code pcp_pool_status} / {@code SHOW pool_status} print for it (PCP_SPEC §8.3).
 */
public interface PgpoolEnum {

    /** The value as written in pgpool.conf and printed by {@code PGPOOL SHOW}. */
    String pgpoolName();

    /** The number pgpool prints for this value in pool_status. */
    int number();
}
