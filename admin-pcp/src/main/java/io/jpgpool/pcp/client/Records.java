package io.jpgpool.pcp.client;

import java.util.List;

/** The records libpcp fills its result slots with, fields already cut to libpcp's buffer sizes. */
public final class Records {
    private Records() {
    }

    /** BackendInfo of pcp_node_info (PCP_SPEC 5.2), numbers as atoi/atol/atof read them. */
    public record NodeInfo(String hostname, int port, int status, int quarantine, String pgStatus, double weight,
            int role, String pgRole, long standbyDelay, String replicationState, String replicationSyncState,
            long statusChangedTime) {
    }

    /** POOL_HEALTH_CHECK_STATS: the 20 strings of pcp_health_check_stats. */
    public record HealthCheckStats(List<String> fields) {
    }

    /** POOL_REPORT_POOLS: the 17 strings of one pcp_proc_info record, in wire order. */
    public record ProcessInfo(List<String> fields) {
        public String get(int i) {
            return fields.get(i);
        }
    }

    /** POOL_REPORT_CONFIG: one pcp_pool_status item. */
    public record PoolStatusItem(String name, String value, String description) {
    }

    /** pcp_proc_count's list of process ids. */
    public record ProcessList(int[] pids) {
    }

    /** PCPWDClusterInfo of pcp_watchdog_info. */
    public record WatchdogCluster(int remoteNodeCount, int memberRemoteNodeCount, int nodesRequiredForQuorum,
            int quorumStatus, int aliveNodeCount, boolean escalated, String leaderNodeName, String leaderHostName,
            List<WatchdogNode> nodes) {
    }

    /** PCPWDNodeInfo. */
    public record WatchdogNode(int id, String nodeName, String hostName, String delegateIp, int membership,
            String membershipString, int wdPort, int pgpoolPort, int state, String stateName, int priority) {
    }
}
