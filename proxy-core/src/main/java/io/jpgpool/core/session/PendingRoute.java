package io.jpgpool.core.session;

import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.routing.RouteDecision;
import io.netty.buffer.ByteBuf;

/**
 * The route of the message that waits at the head of the inbox for its connections: when they are up, the
 * message goes where it was routed, without a second draw of the load-balance node (with
 * statement_level_load_balance) or a second pass of the routing state's bookkeeping. The route is dropped when
 * the node table changed meanwhile.
 */
final class PendingRoute {
    private ByteBuf frame;
    private RouteDecision decision;
    private long version;

    /** The route kept for this very frame under this node table, or null (route it). */
    RouteDecision take(ByteBuf f, ClusterSnapshot snapshot) {
        RouteDecision d = f == frame && snapshot.version() == version ? decision : null;
        frame = null;
        decision = null;
        return d;
    }

    void keep(ByteBuf f, RouteDecision d, ClusterSnapshot snapshot) {
        frame = f;
        decision = d;
        version = snapshot.version();
    }
}
