package io.jpgpool.core.session;

import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RoutingState;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Parse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * A plain BEGIN at idle is answered at once and owed to its nodes ({@link RoutingState#owedBeginNodes}): each
 * gets it just before the transaction's first message there. Meanwhile the session is in a transaction as the
 * client sees it, though the connections may all be idle.
 */
final class OwedBegins {
    /** What an owed BEGIN is sent as (see {@link #send}): each message gets its hidden request. */
    private static final byte[] KINDS = {FrontendTag.PARSE, FrontendTag.BIND, FrontendTag.EXECUTE, FrontendTag.CLOSE};

    private final ClientSession session;
    private final ProxyRuntime rt;
    /** The text {@link #frames} was encoded from. */
    private String framesText;
    private byte[] frames;

    OwedBegins(ClientSession session, ProxyRuntime rt) {
        this.session = session;
        this.rt = rt;
    }

    /**
     * The first message of a transaction for nodes that owe it its BEGIN: the BEGIN goes there first, as a
     * statement and a portal of jpgpool's own, so that the client's unnamed statement and portal stay as they
     * are and no ReadyForQuery is added.
     */
    void send(long set) {
        RoutingState routing = session.routing();
        long owed = set & routing.owedBeginNodes();
        if (owed == NodeSet.EMPTY) {
            return;
        }
        int primary = session.cluster().primaryOrMain();
        boolean streaming = !session.isNative();
        SessionBackends backends = session.backends();
        for (int n = NodeSet.next(owed, 0); n >= 0; n = NodeSet.next(owed, n + 1)) {
            if (!backends.has(n)) {
                continue;
            }
            String begin = routing.owedBegin(n, !streaming || n == primary);
            routing.beginSent(n);
            byte[] encoded = framesOf(begin);
            backends.send(n, session.out().alloc().buffer(encoded.length).writeBytes(encoded), "Execute: ", begin);
            for (byte kind : KINDS) {
                session.queue().add(new Request(kind, NodeSet.of(n), -1, true, null, session.nodes()));
            }
        }
    }

    /** The Parse, Bind, Execute and Close of an owed BEGIN, encoded once per text (a session's are alike). */
    private byte[] framesOf(String begin) {
        if (!begin.equals(framesText)) {
            String name = "jpgpool_begin";
            ByteBuf msg = Unpooled.buffer();
            new Parse(name, begin).encode(msg);
            new Bind(name, name).encode(msg);
            new Execute(name, 0).encode(msg);
            new Close(Close.STATEMENT, name).encode(msg);
            frames = ByteBufUtil.getBytes(msg);
            framesText = begin;
        }
        return frames;
    }

    /**
     * The status the client sees: in a transaction while some node still owes its BEGIN, though every connection
     * may still be idle (a BEGIN answered at once).
     */
    byte overlay(byte merged) {
        RoutingState routing = session.routing();
        return merged == ReadyForQuery.IDLE && routing != null && routing.owedBeginNodes() != NodeSet.EMPTY
                ? ReadyForQuery.IN_TRANSACTION : merged;
    }

    /** A node's transaction status as the session sees it: in a transaction while it owes its BEGIN. */
    byte txStatusOf(int node) {
        RoutingState routing = session.routing();
        BackendConnection c = node >= 0 ? session.backends().get(node) : null;
        byte s = c == null ? ReadyForQuery.IDLE : c.txStatus();
        return s == ReadyForQuery.IDLE && routing != null && NodeSet.contains(routing.owedBeginNodes(), node)
                ? ReadyForQuery.IN_TRANSACTION : s;
    }
}
