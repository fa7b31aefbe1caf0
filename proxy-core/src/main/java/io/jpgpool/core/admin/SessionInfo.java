package io.jpgpool.core.admin;

import java.time.Instant;
import java.util.List;

/**
 * A client session where Pgpool-II has a child process: its id is the "pid" that pcp_proc_count,
 * pcp_proc_info, SHOW pool_processes and SHOW pool_pools report (and the process id of the BackendKeyData the
 * client received).
 *
 * @param status {@code Idle}, {@code Idle in transaction} or {@code Execute command}
 * @param backends one entry per node the session holds a connection to
 */
public record SessionInfo(int id, Instant startTime, String database, String user, String applicationName,
        Instant clientConnectionTime, long idleSeconds, String status, int loadBalanceNode,
        List<BackendInfo> backends) {

    /** One backend connection of a session. */
    public record BackendInfo(int nodeId, int backendPid, Instant connectionTime, long reuseCount) {
    }
}
