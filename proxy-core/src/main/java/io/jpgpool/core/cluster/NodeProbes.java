package io.jpgpool.core.cluster;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What each PostgreSQL node itself said the last time jpgpool asked: reachable or not (pg_status), and
 * whether it is in recovery (pg_role). {@code unknown} until asked, or when the check that asks is disabled.
 */
public final class NodeProbes {
    public static final String UNKNOWN = "unknown";

    private final AtomicReferenceArray<String> pgStatus;
    private final AtomicReferenceArray<String> pgRole;

    /** Room for {@code nodes} nodes; give the most jpgpool takes, so that nodes a reload adds fit too. */
    public NodeProbes(int nodes) {
        pgStatus = new AtomicReferenceArray<>(nodes);
        pgRole = new AtomicReferenceArray<>(nodes);
        for (int i = 0; i < nodes; i++) {
            pgStatus.set(i, UNKNOWN);
            pgRole.set(i, UNKNOWN);
        }
    }

    public String pgStatus(int node) {
        return node < pgStatus.length() ? pgStatus.get(node) : UNKNOWN;
    }

    public String pgRole(int node) {
        return node < pgRole.length() ? pgRole.get(node) : UNKNOWN;
    }

    /** The health check or the replication check logged into the node the last time it tried. */
    public boolean reached(int node) {
        return node < pgStatus.length() && "up".equals(pgStatus.get(node));
    }

    public void reachable(int node, boolean up) {
        pgStatus.set(node, up ? "up" : "down");
        if (!up) {
            pgRole.set(node, UNKNOWN);
        }
    }

    public void role(int node, Boolean inRecovery) {
        pgRole.set(node, inRecovery == null ? UNKNOWN : inRecovery ? "standby" : "primary");
    }
}
