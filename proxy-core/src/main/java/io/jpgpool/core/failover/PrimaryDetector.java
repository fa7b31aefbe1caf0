package io.jpgpool.core.failover;

import io.jpgpool.core.cluster.BackendNode;

/** Asks the nodes which one is the primary (the replication check implements it: SEMANTICS C.6). */
public interface PrimaryDetector {
    /** The node out of recovery, or -1 when none answers as a primary. */
    int findPrimary();

    /** Whether the node is in recovery; null when it cannot be asked. */
    Boolean inRecovery(BackendNode node);
}
