package io.jpgpool.core.cluster;

import java.time.Instant;

/**
 * One configured PostgreSQL node and what jpgpool currently knows of it. Immutable: changes produce a new
 * node inside a new {@link ClusterSnapshot}.
 */
public record BackendNode(
        int id,
        String host,
        int port,
        double weight,
        String dataDirectory,
        String applicationName,
        boolean allowToFailover,
        boolean alwaysPrimary,
        NodeStatus status,
        Instant lastStatusChange,
        long replicationDelay,
        String replicationState,
        String replicationSyncState) {

    public BackendNode withStatus(NodeStatus newStatus, Instant when) {
        return new BackendNode(id, host, port, weight, dataDirectory, applicationName, allowToFailover,
                alwaysPrimary, newStatus, when, replicationDelay, replicationState, replicationSyncState);
    }

    public BackendNode withReplication(long delay, String state, String syncState) {
        return new BackendNode(id, host, port, weight, dataDirectory, applicationName, allowToFailover,
                alwaysPrimary, status, lastStatusChange, delay, state, syncState);
    }

    public BackendNode withWeight(double newWeight) {
        return new BackendNode(id, host, port, newWeight, dataDirectory, applicationName, allowToFailover,
                alwaysPrimary, status, lastStatusChange, replicationDelay, replicationState, replicationSyncState);
    }

    /** The node with the reloadable settings of pgpool.conf (weight, flags, application name, data directory). */
    public BackendNode withConfig(double newWeight, boolean allow, boolean always, String appName, String dataDir) {
        return new BackendNode(id, host, port, newWeight, dataDir, appName, allow, always, status, lastStatusChange,
                replicationDelay, replicationState, replicationSyncState);
    }

    public boolean isAlive() {
        return status.isAlive();
    }

    /** {@code host:port} for log lines. */
    public String address() {
        return host + ":" + port;
    }
}
