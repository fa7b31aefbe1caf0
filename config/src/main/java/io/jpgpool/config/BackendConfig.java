package io.jpgpool.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One configured PostgreSQL backend ({@code backend_*N}), index = node id.
 *
 * @param nodeId          N
 * @param hostname        {@code backend_hostnameN}; an empty value reads as {@code /tmp}, a Unix-socket
 *                        directory, as pgpool does (SEMANTICS §C.8)
 * @param port            {@code backend_portN}
 * @param weight          {@code backend_weightN} as configured (see {@link PgpoolConfig#normalizedWeight})
 * @param dataDirectory   {@code backend_data_directoryN}
 * @param flags           {@code backend_flagN}: exactly one of ALLOW/DISALLOW_TO_FAILOVER, maybe ALWAYS_PRIMARY
 * @param applicationName {@code backend_application_nameN}, matched against pg_stat_replication
 * @param healthCheck     resolved health-check settings for this node
 */
public record BackendConfig(
        int nodeId,
        String hostname,
        int port,
        double weight,
        String dataDirectory,
        Set<BackendFlag> flags,
        String applicationName,
        HealthCheckSettings healthCheck) {

    public BackendConfig {
        EnumSet<BackendFlag> set = EnumSet.noneOf(BackendFlag.class);
        set.addAll(flags);
        if (set.contains(BackendFlag.ALLOW_TO_FAILOVER) && set.contains(BackendFlag.DISALLOW_TO_FAILOVER)) {
            throw new IllegalArgumentException("ALLOW_TO_FAILOVER and DISALLOW_TO_FAILOVER exclude each other");
        }
        if (!set.contains(BackendFlag.DISALLOW_TO_FAILOVER)) {
            set.add(BackendFlag.ALLOW_TO_FAILOVER);
        }
        flags = Collections.unmodifiableSet(set);
    }

    public boolean allowToFailover() {
        return !flags.contains(BackendFlag.DISALLOW_TO_FAILOVER);
    }

    public boolean disallowToFailover() {
        return flags.contains(BackendFlag.DISALLOW_TO_FAILOVER);
    }

    public boolean alwaysPrimary() {
        return flags.contains(BackendFlag.ALWAYS_PRIMARY);
    }

    /** True if {@link #hostname()} is a Unix-socket directory rather than a host. */
    public boolean isUnixSocket() {
        return hostname.startsWith("/");
    }

    /** The flags as pool_status prints them (PCP_SPEC §8.6). */
    public String flagText() {
        return ValueTypes.BackendFlagsType.text(flags);
    }
}
