package io.jpgpool.core.session;

import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RouteDecision;
import io.jpgpool.core.routing.Router;
import io.jpgpool.core.routing.RoutingState;
import io.jpgpool.core.routing.StatementClass;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Describe;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.sql.DiscardTarget;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The extended query protocol of a session (SEMANTICS A.13): Parse is routed; Bind, Describe, Execute and
 * Close follow the statement to the nodes it was prepared on; a statement prepared away from the primary and
 * bound inside a writing transaction is prepared again on the primary first (parse-before-bind); Sync goes to
 * every node the pipeline used, and exactly one ReadyForQuery reaches the client.
 */
final class ExtendedQuery {
    private final ClientSession session;
    private final ProxyRuntime rt;
    private final Router router;
    private final RoutingState routing;
    private final PreparedStatements prepared = new PreparedStatements();
    /** The nodes the messages since the last Sync went to: the Sync goes to them. */
    private long pipelineNodes;

    ExtendedQuery(ClientSession session, ProxyRuntime rt, Router router, RoutingState routing) {
        this.session = session;
        this.rt = rt;
        this.router = router;
        this.routing = routing;
    }

    boolean parse(ByteBuf f) {
        Parse p = Parse.decode(f);
        if (!p.name().isEmpty() && prepared.statement(p.name()) != null) {
            f.release();
            session.localError(ErrorResponse.error("42P05", "prepared statement \"" + p.name() + "\" already exists"));
            return true;
        }
        Statement st = rt.statements().analyze(p.query());
        if (!session.factsKnown(st)) {
            return false;
        }
        RouteDecision d = router.route(st, routing, rt.cluster().snapshot(), session.facts());
        if (!session.connected(d.nodes())) {
            return false;
        }
        byte[] raw = ByteBufUtil.getBytes(f);
        prepared.putStatement(new PreparedStatements.Prepared(p.name(), p.query(), st, d, raw, d.nodes()));
        session.sendToNodes(f, d, null, p.query(), "Parse: ");
        pipelineNodes |= d.nodes();
        add(FrontendTag.PARSE, d.nodes(), d.forwardNode());
        return true;
    }

    boolean bind(ByteBuf f) {
        Bind b = Bind.decode(f);
        PreparedStatements.Prepared ps = prepared.statement(b.statement());
        if (ps == null) {
            f.release();
            session.localError(ErrorResponse.error(SqlState.INVALID_SQL_STATEMENT_NAME,
                    "prepared statement \"" + b.statement() + "\" does not exist"));
            return true;
        }
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        int primary = snapshot.primaryOrMain();
        boolean reparse = needsParseBeforeBind(ps, primary);
        long set = reparse ? NodeSet.of(primary) : ps.nodes & aliveOrConnected(snapshot);
        if (set == 0) {
            set = NodeSet.of(primary);
            reparse = !NodeSet.contains(ps.parsedOn, primary);
        }
        if (!session.connected(set)) {
            return false;
        }
        if (reparse) {
            // parse-before-bind (SEMANTICS A.13): prepare the statement on the primary first, silently
            session.sendTo(primary, Unpooled.wrappedBuffer(ps.parseMessage), "Parse: " + ps.query);
            session.queue().add(new Request(FrontendTag.PARSE, NodeSet.of(primary), primary, true, null,
                    session.nodes()));
            ps.parsedOn = NodeSet.with(ps.parsedOn, primary);
            ps.nodes = NodeSet.of(primary);
        }
        prepared.putPortal(new PreparedStatements.Portal(b.portal(), ps, set));
        session.sendToNodes(f, plain(set), null, ps.query, "Bind: ");
        pipelineNodes |= set;
        add(FrontendTag.BIND, set, NodeSet.lowest(set));
        return true;
    }

    /** A statement prepared away from the primary is bound inside a writing transaction (SEMANTICS A.13). */
    private boolean needsParseBeforeBind(PreparedStatements.Prepared ps, int primary) {
        return router.config().isStreaming()
                && router.config().loadBalanceMode()
                && router.config().disableLoadBalanceOnWrite() != DisableLoadBalanceOnWrite.OFF
                && routing.primaryTxStatus() == ReadyForQuery.IN_TRANSACTION
                && routing.writingTransaction()
                && !NodeSet.contains(ps.parsedOn, primary);
    }

    private long aliveOrConnected(ClusterSnapshot snapshot) {
        long set = NodeSet.EMPTY;
        for (int n = 0; n < session.nodes(); n++) {
            if (snapshot.isAlive(n) || session.backends().has(n)) {
                set = NodeSet.with(set, n);
            }
        }
        return set;
    }

    boolean describe(ByteBuf f) {
        Describe d = Describe.decode(f);
        long set;
        if (d.isStatement()) {
            PreparedStatements.Prepared ps = prepared.statement(d.name());
            if (ps == null) {
                f.release();
                session.localError(ErrorResponse.error(SqlState.INVALID_SQL_STATEMENT_NAME,
                        "prepared statement \"" + d.name() + "\" does not exist"));
                return true;
            }
            set = ps.nodes;
        } else {
            PreparedStatements.Portal portal = prepared.portal(d.name());
            // a portal we never saw (SQL DECLARE ... CURSOR) lives on the primary (SEMANTICS A.13)
            set = portal != null ? portal.nodes() : NodeSet.of(rt.cluster().snapshot().primaryOrMain());
        }
        if (!session.connected(set)) {
            return false;
        }
        session.sendToNodes(f, plain(set), null, "D message", null);
        pipelineNodes |= set;
        add(FrontendTag.DESCRIBE, set, NodeSet.lowest(set));
        return true;
    }

    boolean execute(ByteBuf f) {
        Execute e = Execute.decode(f);
        PreparedStatements.Portal portal = prepared.portal(e.portal());
        long set = portal != null ? portal.nodes() : NodeSet.of(rt.cluster().snapshot().primaryOrMain());
        if (!session.connected(set)) {
            return false;
        }
        Statement st = portal != null ? portal.statement().statement : null;
        session.sendToNodes(f, plain(set), st, portal != null ? portal.statement().query : e.portal(), "Execute: ");
        if (st != null) {
            onExecuteSent(st, portal.statement().decision);
        }
        pipelineNodes |= set;
        add(FrontendTag.EXECUTE, set, NodeSet.lowest(set));
        return true;
    }

    /**
     * The writing flag is set, and BEGIN/COMMIT change the transaction status, when the Execute is sent, not
     * when it completes (SEMANTICS A.13).
     */
    private void onExecuteSent(Statement st, RouteDecision d) {
        boolean inTransaction = routing.primaryTxStatus() != ReadyForQuery.IDLE;
        routing.onSuccess(st, d, inTransaction);
        switch (st.kind()) {
            case BEGIN -> routing.primaryTxStatus(ReadyForQuery.IN_TRANSACTION);
            case COMMIT, ROLLBACK -> routing.primaryTxStatus(ReadyForQuery.IDLE);
            default -> {
            }
        }
    }

    boolean close(ByteBuf f) {
        Close c = Close.decode(f);
        long set;
        if (c.isStatement()) {
            PreparedStatements.Prepared ps = prepared.removeStatement(c.name());
            set = ps == null ? 0 : ps.parsedOn;
        } else {
            PreparedStatements.Portal p = prepared.removePortal(c.name());
            set = p == null ? 0 : p.nodes();
        }
        long live = set & session.backends().connected();
        if (live == 0) {
            // closing something that does not exist is not an error (SEMANTICS A.13)
            f.release();
            session.answerLocally(Unpooled.buffer(5).writeByte(BackendTag.CLOSE_COMPLETE).writeInt(4),
                    FrontendTag.CLOSE);
            return true;
        }
        session.sendToNodes(f, plain(live), null, "C message", null);
        pipelineNodes |= live;
        add(FrontendTag.CLOSE, live, NodeSet.lowest(live));
        return true;
    }

    boolean sync(ByteBuf f) {
        long set = pipelineNodes & session.backends().connected();
        if (set == 0) {
            if (!session.backends().has(session.paramNode())) {
                f.release();
                ByteBuf rfq = session.out().alloc().buffer(6);
                ReadyForQuery.encode(rfq, session.mergedStatus());
                session.awaitReady();
                session.queue().add(Request.local(FrontendTag.SYNC, rfq, null));
                return true;
            }
            set = NodeSet.of(session.paramNode());
        }
        session.sendToNodes(f, plain(set), null, null, null);
        pipelineNodes = 0;
        session.awaitReady();
        add(FrontendTag.SYNC, set, NodeSet.lowest(set));
        return true;
    }

    void flush(ByteBuf f) {
        long set = (pipelineNodes | session.queue().busyNodes()) & session.backends().connected();
        if (set == 0) {
            f.release();
            session.out().flush();
            return;
        }
        session.sendToNodes(f, plain(set), null, null, null);
    }

    private void add(byte kind, long set, int forward) {
        session.queue().add(new Request(kind, set, forward, false, null, session.nodes()));
    }

    /** DEALLOCATE and DISCARD ALL in a simple Query forget the statements they drop. */
    void forgetDeallocated(Statement st) {
        if (st.kind() == StatementKind.DEALLOCATE) {
            if (st.deallocateAll()) {
                prepared.clear();
            } else if (st.preparedName() != null) {
                prepared.removeStatement(st.preparedName());
            }
        } else if (st.kind() == StatementKind.DISCARD && st.discardTarget() == DiscardTarget.ALL) {
            prepared.clear();
        }
    }

    /** Portals end with their transaction. */
    void closePortals() {
        prepared.closePortals();
    }

    private static RouteDecision plain(long set) {
        return new RouteDecision(set, StatementClass.PRIMARY, false, false, false, null);
    }
}
