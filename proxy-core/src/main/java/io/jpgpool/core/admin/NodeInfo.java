package io.jpgpool.core.admin;

import io.jpgpool.core.cluster.NodeRole;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Instant;

/**
 * One node as pcp_node_info and SHOW pool_nodes report it.
 *
 * @param pgStatus what the node itself answered last: {@code up}, {@code down} or {@code unknown}
 * @param pgRole {@code primary}/{@code standby} from pg_is_in_recovery(), or {@code unknown}
 * @param weight the normalised weight, 0..1
 */
public record NodeInfo(int id, String host, int port, NodeStatus status, boolean quarantine, String pgStatus,
        double weight, NodeRole role, String pgRole, long selectCount, long replicationDelay,
        String replicationState, String replicationSyncState, Instant lastStatusChange, String flags) {
}
