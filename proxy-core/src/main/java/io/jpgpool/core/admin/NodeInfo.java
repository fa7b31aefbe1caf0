package io.jpgpool.core.admin;

import io.jpgpool.core.cluster.NodeRole;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Instant;

/**
 * One node as pcp_node_info and SHOW pool_nodes report it.
 *
 * @param pgStatus what the node itself answered last: {@code up}, {@code down} or {@code unknown}
 * @param scaledWeight the weight as pgpool keeps it: {@code RAND_MAX * weightN / sum of weights}, computed in
 *     that order (pcp_node_info sends this number; PCP_SPEC 5.2)
 * @param weight the normalised weight, 0..1: {@code scaledWeight / RAND_MAX} (what SHOW pool_nodes prints)
 * @param pgRole {@code primary}/{@code standby} from pg_is_in_recovery(), or {@code unknown}
 */
public record NodeInfo(int id, String host, int port, NodeStatus status, boolean quarantine, String pgStatus,
        double scaledWeight, double weight, NodeRole role, String pgRole, long selectCount, long replicationDelay,
        String replicationState, String replicationSyncState, Instant lastStatusChange, String flags) {

    /** C's RAND_MAX, the scale of pgpool's weights. */
    public static final double RAND_MAX = 2147483647;

    /** The status name of PCP_SPEC 8.1: {@code down} is {@code quarantine} when the quarantine flag is set. */
    public String statusName() {
        return status == NodeStatus.DOWN && quarantine ? "quarantine" : status.label();
    }
}
