package io.jpgpool.config;

import java.util.Locale;

/**
 * An enum-valued pgpool.conf setting: its spelling in pgpool.conf and the number that
 * {@code pcp_pool_status} / {@code SHOW pool_status} print for it (PCP_SPEC §8.3).
 */
public interface PgpoolEnum {

    /** The constant's name (every enum has it). */
    String name();

    /** The constant's position (every enum has it). */
    int ordinal();

    /** The value as written in pgpool.conf and printed by {@code PGPOOL SHOW}: the name in lower case. */
    default String pgpoolName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The number pgpool prints for this value in pool_status: pgpool's C enums count from 1 in this order. */
    default int number() {
        return ordinal() + 1;
    }
}
