package io.jpgpool.config;

/**
 * One {@code backend_flagN} flag (SEMANTICS §C.8). A backend's flag set always holds exactly one of
 * ALLOW_TO_FAILOVER / DISALLOW_TO_FAILOVER, optionally ALWAYS_PRIMARY.
 */
public enum BackendFlag {
    ALLOW_TO_FAILOVER,
    DISALLOW_TO_FAILOVER,
    /** SR only: this node is the primary without probing (was ALWAYS_MASTER before 4.2). */
    ALWAYS_PRIMARY
}
