package io.jpgpool.core.admin;

import java.util.List;

/**
 * One connection-pool slot of one "process", as pcp_proc_info sends it and SHOW pool_pools shows it: the 17
 * values of pgpool's POOL_REPORT_POOLS, already formatted, in wire order (PCP_SPEC 5.6). jpgpool's processes
 * are client sessions; see {@link ProcessSlots} for how a session fills its slots.
 */
public record PoolSlot(String poolPid, String startTime, String clientConnectionCount, String poolId,
        String backendId, String database, String username, String backendConnectionTime,
        String clientConnectionTime, String clientDisconnectionTime, String clientIdleDuration,
        String majorVersion, String minorVersion, String poolCounter, String poolBackendPid, String poolConnected,
        String status) {

    /** SHOW pool_pools' column names, which are also the order of the values on the PCP wire. */
    public static final List<String> COLUMNS = List.of("pool_pid", "start_time", "client_connection_count",
            "pool_id", "backend_id", "database", "username", "backend_connection_time", "client_connection_time",
            "client_disconnection_time", "client_idle_duration", "majorversion", "minorversion", "pool_counter",
            "pool_backendpid", "pool_connected", "status");

    public List<String> values() {
        return List.of(poolPid, startTime, clientConnectionCount, poolId, backendId, database, username,
                backendConnectionTime, clientConnectionTime, clientDisconnectionTime, clientIdleDuration,
                majorVersion, minorVersion, poolCounter, poolBackendPid, poolConnected, status);
    }
}
