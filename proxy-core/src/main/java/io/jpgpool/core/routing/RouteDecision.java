package io.jpgpool.core.routing;

/**
 * Where one statement goes and how the session treats it.
 *
 * @param nodes the nodes that run it
 * @param cls its pgpool destination class
 * @param loadBalanced it is a read that load balancing sent to {@code nodes}
 * @param write it counts as a write for writing-transaction tracking (SEMANTICS A.8)
 * @param rewriteBeginForStandby non-primary nodes get a plain {@code BEGIN} (SEMANTICS A.12)
 * @param defersStandby a BEGIN that went to the primary only: the load-balance node's side of the transaction
 *     opens when something is first sent there inside it (see {@link RoutingState#owedBeginNodes})
 * @param reason why, for logs and the routing trace
 */
public record RouteDecision(long nodes, StatementClass cls, boolean loadBalanced, boolean write,
        boolean rewriteBeginForStandby, boolean defersStandby, String reason) {

    public RouteDecision(long nodes, StatementClass cls, boolean loadBalanced, boolean write,
            boolean rewriteBeginForStandby, String reason) {
        this(nodes, cls, loadBalanced, write, rewriteBeginForStandby, false, reason);
    }

    /** The node whose answers reach the client: the lowest id of the set (pgpool's virtual main node). */
    public int forwardNode() {
        return NodeSet.lowest(nodes);
    }

    public boolean multiNode() {
        return NodeSet.size(nodes) > 1;
    }
}
