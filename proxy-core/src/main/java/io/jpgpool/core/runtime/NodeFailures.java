package io.jpgpool.core.runtime;

import java.util.concurrent.CompletableFuture;

/** What sessions tell the failover machinery, and wait for, without knowing it. */
public interface NodeFailures {
    /**
     * A backend connection to {@code node} broke: probe the node and fail over if it is gone. Completes when
     * that is done (at once when failover_on_backend_error is off or the node cannot be failed over).
     */
    CompletableFuture<Void> suspect(int node);

    /** Completes when no failover concerning the primary is running (new clients wait on it). */
    CompletableFuture<Void> quiet();

    /**
     * Native replication: the node answered unlike the majority (SEMANTICS B.4, B.5) and is detached; the
     * reason names the statement and each node's answer, for the log.
     */
    void mismatch(int node, String reason);

    NodeFailures NONE = new NodeFailures() {
        @Override
        public CompletableFuture<Void> suspect(int node) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> quiet() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void mismatch(int node, String reason) {
        }
    };
}
