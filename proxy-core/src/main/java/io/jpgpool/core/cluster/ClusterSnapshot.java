package io.jpgpool.core.cluster;

import io.jpgpool.config.ClusteringMode;
import java.util.List;

/**
 * The whole node table at one moment: what every routing decision reads. {@code primaryNodeId} is -1 when no
 * primary is known; the main node is the lowest-numbered alive node (pgpool's REAL_MAIN_NODE_ID).
 */
public record ClusterSnapshot(ClusteringMode mode, List<BackendNode> nodes, int primaryNodeId, long version,
        long falsePrimaries) {

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
    }

    public ClusterSnapshot(ClusteringMode mode, List<BackendNode> nodes, int primaryNodeId, long version) {
        this(mode, nodes, primaryNodeId, version, 0L);
    }

    /**
     * A node that is out of recovery while another node is the primary: it gets neither writes nor reads, so
     * two primaries never both serve clients.
     */
    public boolean isFalsePrimary(int id) {
        return id >= 0 && id < 64 && (falsePrimaries & (1L << id)) != 0;
    }

    public ClusterSnapshot withFalsePrimaries(long set) {
        return set == falsePrimaries ? this : new ClusterSnapshot(mode, nodes, primaryNodeId, version + 1, set);
    }

    public int size() {
        return nodes.size();
    }

    public BackendNode node(int id) {
        return nodes.get(id);
    }

    public boolean isAlive(int id) {
        return id >= 0 && id < nodes.size() && nodes.get(id).isAlive();
    }

    public boolean isStreaming() {
        return mode == ClusteringMode.STREAMING_REPLICATION || mode == ClusteringMode.LOGICAL_REPLICATION;
    }

    /** Lowest-numbered alive node, or -1. */
    public int mainNodeId() {
        for (BackendNode n : nodes) {
            if (n.isAlive()) {
                return n.id();
            }
        }
        return -1;
    }

    /**
     * Where "the primary" is in routing: the detected primary while it is alive, otherwise the main node
     * (pgpool's PRIMARY_NODE_ID macro). In native replication mode this is the main node.
     */
    public int primaryOrMain() {
        if (isStreaming() && isAlive(primaryNodeId)) {
            return primaryNodeId;
        }
        return mainNodeId();
    }

    public NodeRole role(int id) {
        if (isStreaming()) {
            return id == primaryNodeId ? NodeRole.PRIMARY : NodeRole.STANDBY;
        }
        return id == mainNodeId() ? NodeRole.MAIN : NodeRole.REPLICA;
    }

    /** Weight as pgpool normalises it: over all configured nodes, whatever their status (SEMANTICS A.6). */
    public double normalizedWeight(int id) {
        double total = 0;
        for (BackendNode n : nodes) {
            total += n.weight();
        }
        return total <= 0 ? 0 : nodes.get(id).weight() / total;
    }

    public ClusterSnapshot withNode(BackendNode node) {
        var copy = new java.util.ArrayList<>(nodes);
        copy.set(node.id(), node);
        return new ClusterSnapshot(mode, copy, primaryNodeId, version + 1, falsePrimaries);
    }

    /** The table with {@code added} appended (nodes a reload added, ids {@link #size()} onwards). */
    public ClusterSnapshot withNodesAdded(List<BackendNode> added) {
        var copy = new java.util.ArrayList<>(nodes);
        for (BackendNode n : added) {
            if (n.id() != copy.size()) {
                throw new IllegalArgumentException("node " + n.id() + " added after node " + (copy.size() - 1));
            }
            copy.add(n);
        }
        return new ClusterSnapshot(mode, copy, primaryNodeId, version + 1, falsePrimaries);
    }

    /**
     * The table as a session sees it that started when only {@code count} nodes were configured: the nodes a
     * reload added since are not there (the session's per-node state has no room for them). A primary among
     * them reads as none; the failover that made it primary ended the session's writes anyway.
     */
    public ClusterSnapshot firstNodes(int count) {
        if (count >= nodes.size()) {
            return this;
        }
        long mask = count >= 64 ? falsePrimaries : falsePrimaries & ((1L << count) - 1);
        return new ClusterSnapshot(mode, nodes.subList(0, count), primaryNodeId < count ? primaryNodeId : -1, version,
                mask);
    }

    public ClusterSnapshot withPrimary(int newPrimary) {
        return new ClusterSnapshot(mode, nodes, newPrimary, version + 1, falsePrimaries & ~(newPrimary >= 0 ? 1L << newPrimary : 0));
    }
}
