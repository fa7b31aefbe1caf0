package io.jpgpool.core.cluster;

/**
 * Something that happened to the cluster that sessions must act on. The failover coordinator publishes them
 * on {@link ClusterState}; whoever cares subscribes (the session registry hands them to every session).
 */
public sealed interface ClusterEvent {
    /**
     * A node was detached. Sessions that used it end; {@code primaryFailed}: it was the primary (or the main
     * node), so every session that writes ends.
     */
    record NodeDetached(int node, boolean primaryFailed) implements ClusterEvent {
    }
}
