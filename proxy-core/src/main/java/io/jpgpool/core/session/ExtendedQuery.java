package io.jpgpool.core.session;

import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.core.cache.CacheHandle;
import io.jpgpool.core.cache.QueryCacheSession;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.logging.StatementTextLog;
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
import java.util.ArrayList;
import java.util.List;

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
    private final PendingRoute pending = new PendingRoute();
    /** The nodes the messages since the last Sync went to: the Sync goes to them. */
    private long pipelineNodes;
    /** Since the last Sync a Bind stayed here for the query cache (its portal is held). */
    private boolean heldSinceSync;
    /** Native replication: the routed messages since the last Sync, and their nodes, not sent yet. */
    private final List<Batched> batch = new ArrayList<>();
    private long batchNodes;

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
            localError(ErrorResponse.error("42P05", "prepared statement \"" + p.name() + "\" already exists"));
            return true;
        }
        Statement st = rt.statements().analyze(p.query());
        if (!session.factsKnown(st)) {
            return false;
        }
        ClusterSnapshot now = session.cluster();
        RouteDecision d = pending.take(f, now);
        if (d == null) {
            d = router.route(st, routing, now, session.facts());
        }
        if (!session.connected(d.nodes())) {
            pending.keep(f, d, now);
            return false;
        }
        st.terminateBackendPid().ifPresent(pid -> TerminateRequests.note(rt, pid)); // pgpool: simple queries only
        byte[] raw = ByteBufUtil.getBytes(f);
        PreparedStatements.Prepared ps = new PreparedStatements.Prepared(p.name(), p.query(), st, d, raw, d.nodes());
        prepared.putStatement(ps);
        if (session.cache() != null) {
            session.cache().parsed(p, st);
        }
        pipelineNodes |= d.nodes();
        if (session.isNative()) {
            ByteBuf others = NodeSet.size(d.nodes()) > 1 ? session.rewrites().parseForOthers(p, st, session.out().alloc())
                    : null;
            if (others != null) {
                ps.othersParse = ByteBufUtil.getBytes(others); // the clock as one more parameter (SEMANTICS B.8)
                others.release();
            }
            byte[] forOthers = ps.othersParse;
            send(f, FrontendTag.PARSE, d.nodes(), null, p.query(), "Parse: ", null,
                    forOthers == null ? null : clock -> Unpooled.wrappedBuffer(forOthers));
            return true;
        }
        session.sendToNodes(f, d, null, p.query(), "Parse: ");
        add(FrontendTag.PARSE, d.nodes(), d.forwardNode());
        return true;
    }

    boolean bind(ByteBuf f) {
        return bind(f, true);
    }

    /**
     * {@code client}: the client's Bind, which may stay here if the cache answers its Execute; false for a held
     * Bind that goes out after all (the client has its BindComplete already).
     */
    private boolean bind(ByteBuf f, boolean client) {
        Bind b = Bind.decode(f);
        PreparedStatements.Prepared ps = prepared.statement(b.statement());
        if (ps == null) {
            f.release();
            localError(ErrorResponse.error(SqlState.INVALID_SQL_STATEMENT_NAME,
                    "prepared statement \"" + b.statement() + "\" does not exist"));
            return true;
        }
        boolean cacheBound = client && holdable(ps);
        if (cacheBound) {
            session.cache().bound(b, f);
            if (session.cache().servesPortal(b.portal())) {
                hold(f, b, ps);
                return true;
            }
        }
        ClusterSnapshot snapshot = session.cluster();
        int primary = snapshot.primaryOrMain();
        if (!session.isNative() && isTransactionControl(ps.statement)) {
            return bindTransactionControl(f, b, ps, snapshot, primary);
        }
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
        if (session.isNative() && NodeSet.size(ps.decision.nodes()) > 1) {
            // a node attached since the statement was prepared (failback, online recovery) gets it first
            long missing = Router.allAlive(snapshot) & ~ps.parsedOn;
            if (missing != NodeSet.EMPTY) {
                if (!session.connected(missing)) {
                    return false;
                }
                byte[] others = ps.othersParse;
                batch.add(new Batched(Unpooled.wrappedBuffer(ps.parseMessage), FrontendTag.PARSE, missing, null,
                        "Parse: " + ps.query, null, others == null ? null : clock -> Unpooled.wrappedBuffer(others),
                        missing, null));
                batchNodes |= missing;
                ps.parsedOn |= missing;
                ps.nodes |= missing;
                set |= missing;
            }
        }
        prepared.putPortal(new PreparedStatements.Portal(b.portal(), ps, set, ps.decision));
        if (session.cache() != null && !cacheBound) {
            session.cache().bound(b, f);
        }
        pipelineNodes |= set;
        if (!client) {
            session.sendToNodes(f, plain(set), null, ps.query, "Bind: ");
            session.queue().add(new Request(FrontendTag.BIND, set, NodeSet.lowest(set), true, null, session.nodes()));
            return true;
        }
        send(f, FrontendTag.BIND, set, null, ps.query, "Bind: ", null,
                ps.othersParse == null ? null : NativeRewrites.bindForOthers(f, session.out().alloc()));
        return true;
    }

    /**
     * A Bind that may stay here if the cache has its answer: a cached read outside any transaction, at the start
     * of a pipeline (nothing sent since the last Sync), as libpq's and pgjdbc's prepared statements send it.
     * Pgpool-II sends Bind, Describe and Sync to the backend on a hit; jpgpool answers the whole round trip. Not
     * in native replication, whose batches hold messages of their own until the Sync.
     */
    private boolean holdable(PreparedStatements.Prepared ps) {
        return session.cache() != null && !session.isNative() && pipelineNodes == 0
                && !isTransactionControl(ps.statement)
                && session.mergedStatus() == ReadyForQuery.IDLE && routing.primaryTxStatus() == ReadyForQuery.IDLE;
    }

    /** The Bind stays here (the portal has no node) and is answered at once; its Execute comes from the cache. */
    private void hold(ByteBuf f, Bind b, PreparedStatements.Prepared ps) {
        prepared.putPortal(new PreparedStatements.Portal(b.portal(), ps, NodeSet.EMPTY, ps.decision,
                ByteBufUtil.getBytes(f)));
        f.release();
        heldSinceSync = true;
        session.local().answerLocally(emptyMessage(BackendTag.BIND_COMPLETE), FrontendTag.BIND);
    }

    /**
     * A held portal is needed on a node after all (described, executed with a row limit, or no longer cached):
     * its Bind goes out now, routed as it would have been. False when it has to wait for a connection.
     */
    private boolean release(PreparedStatements.Portal portal) {
        return bind(Unpooled.wrappedBuffer(portal.heldBind()), false);
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

    private static boolean isTransactionControl(Statement st) {
        return switch (st.kind()) {
            case BEGIN, COMMIT, ROLLBACK -> true;
            default -> false;
        };
    }

    /**
     * A prepared BEGIN, COMMIT or ROLLBACK is routed again at each Bind: whether the load-balance node takes part
     * in the transaction is decided per transaction (RoutingState#owedBeginNodes), not once at Parse. A node it
     * now needs and was not parsed on gets the Parse first.
     */
    private boolean bindTransactionControl(ByteBuf f, Bind b, PreparedStatements.Prepared ps, ClusterSnapshot snapshot,
            int primary) {
        RouteDecision d = router.route(ps.statement, routing, snapshot, session.facts());
        long set = d.nodes() & aliveOrConnected(snapshot);
        if (set == 0) {
            set = NodeSet.of(primary);
        }
        if (!session.connected(set)) {
            return false;
        }
        long missing = set & ~ps.parsedOn;
        for (int n = NodeSet.next(missing, 0); n >= 0; n = NodeSet.next(missing, n + 1)) {
            session.sendTo(n, Unpooled.wrappedBuffer(ps.parseMessage), "Parse: " + ps.query);
            session.queue().add(new Request(FrontendTag.PARSE, NodeSet.of(n), n, true, null, session.nodes()));
        }
        ps.parsedOn |= missing;
        prepared.putPortal(new PreparedStatements.Portal(b.portal(), ps, set, d));
        if (session.cache() != null) {
            session.cache().bound(b, f);
        }
        pipelineNodes |= set;
        // the Bind itself is never rewritten: a standby that needs a plain BEGIN got it in its Parse
        session.sendToNodes(f, plain(set), null, ps.query, "Bind: ");
        add(FrontendTag.BIND, set, NodeSet.lowest(set));
        return true;
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
                localError(ErrorResponse.error(SqlState.INVALID_SQL_STATEMENT_NAME,
                        "prepared statement \"" + d.name() + "\" does not exist"));
                return true;
            }
            set = ps.nodes;
        } else {
            PreparedStatements.Portal portal = prepared.portal(d.name());
            if (portal != null && portal.held()) {
                ByteBuf description = session.cache().describeHeld(d.name());
                if (description != null) {
                    f.release();
                    session.local().answerLocally(description, FrontendTag.DESCRIBE);
                    return true;
                }
                if (!release(portal)) { // the answer was cached without its RowDescription: the backend has it
                    return false;
                }
                portal = prepared.portal(d.name());
            }
            // a portal we never saw (SQL DECLARE ... CURSOR) lives on the primary (SEMANTICS A.13)
            set = portal != null ? portal.nodes() : NodeSet.of(session.cluster().primaryOrMain());
        }
        if (!session.connected(set)) {
            return false;
        }
        pipelineNodes |= set;
        CacheHandle description = session.cache() == null || d.isStatement() ? null : session.cache().described(d.name());
        send(f, FrontendTag.DESCRIBE, set, null, "D message", null, null, null, description);
        return true;
    }

    boolean execute(ByteBuf f) {
        Execute e = Execute.decode(f);
        PreparedStatements.Portal portal = prepared.portal(e.portal());
        if (portal != null && portal.held()) {
            QueryCacheSession.Execution cached = session.cache().executeHeld(e);
            if (cached != null) {
                f.release();
                if (!batch.isEmpty()) {
                    sendBatch(null); // the local answer keeps its place after what came before it
                }
                session.local().answerLocally(cached.reply(), FrontendTag.EXECUTE);
                return true;
            }
            if (!release(portal)) {
                return false;
            }
            portal = prepared.portal(e.portal());
        }
        long set = portal != null ? portal.nodes() : NodeSet.of(session.cluster().primaryOrMain());
        if (!session.connected(set)) {
            return false;
        }
        if (portal != null && rt.config().logStatement()) {
            StatementTextLog.statement(portal.statement().query); // pgpool: the portal's query as the client sent it
        }
        QueryCacheSession.Execution cached = session.cache() == null ? null : session.cache().execute(e, set);
        if (cached != null && cached.reply() != null) {
            // only the Execute is answered from the cache; Parse, Bind, Describe and Sync went to the backend
            f.release();
            if (!batch.isEmpty()) {
                sendBatch(null); // the local answer keeps its place after what came before it
            }
            session.local().answerLocally(cached.reply(), FrontendTag.EXECUTE);
            return true;
        }
        Statement st = portal != null ? portal.statement().statement : null;
        SimpleQuery.Executed executed = st == null ? null
                : new SimpleQuery.Executed(st, portal.decision(), false);
        if (st != null) {
            onExecuteSent(st, portal.decision());
        }
        pipelineNodes |= set;
        send(f, FrontendTag.EXECUTE, set, st, portal != null ? portal.statement().query : e.portal(), "Execute: ",
                executed, null, cached == null ? null : cached.handle());
        return true;
    }

    /**
     * The writing flag is set, and BEGIN/COMMIT change the transaction status, when the Execute is sent, not
     * when it completes (SEMANTICS A.13).
     */
    private void onExecuteSent(Statement st, RouteDecision d) {
        boolean inTransaction = routing.primaryTxStatus() != ReadyForQuery.IDLE;
        routing.onSuccess(st, d, inTransaction);
        session.settings().executed(st);
        switch (st.kind()) {
            case BEGIN -> routing.primaryTxStatus(ReadyForQuery.IN_TRANSACTION);
            case COMMIT, ROLLBACK -> routing.primaryTxStatus(ReadyForQuery.IDLE);
            default -> {
            }
        }
    }

    boolean close(ByteBuf f) {
        Close c = Close.decode(f);
        if (session.cache() != null) {
            session.cache().closed(c);
        }
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
            if (!batch.isEmpty()) {
                sendBatch(null); // a local answer keeps its place after what came before it
            }
            session.local().answerLocally(emptyMessage(BackendTag.CLOSE_COMPLETE), FrontendTag.CLOSE);
            return true;
        }
        pipelineNodes |= live;
        send(f, FrontendTag.CLOSE, live, null, "C message", null, null);
        return true;
    }

    boolean sync(ByteBuf f) {
        boolean held = heldSinceSync;
        if (held) {
            heldSinceSync = false;
            prepared.dropHeldPortals();
        }
        if (!batch.isEmpty()) {
            pipelineNodes = 0;
            session.awaitReady();
            long nodes = batchNodes;
            if (NodeSet.size(nodes) > 1) {
                sendBatch(f);
                return true;
            }
            sendBatch(null);
            session.sendToNodes(f, plain(nodes), null, null, null);
            add(FrontendTag.SYNC, nodes, NodeSet.lowest(nodes));
            return true;
        }
        long set = pipelineNodes & session.backends().connected();
        if (set == 0) {
            // nothing went to a node since the last Sync: a cache hit's Sync is answered here as well
            if (held || !session.backends().has(session.paramNode())) {
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
        if (!batch.isEmpty()) {
            sendBatch(null); // the client wants answers before its Sync: the batch goes out as it is
        }
        long set = (pipelineNodes | session.queue().busyNodes()) & session.backends().connected();
        if (set == 0) {
            f.release();
            session.out().flush();
            return;
        }
        session.sendToNodes(f, plain(set), null, null, null);
    }

    /** A backend message without a body (BindComplete, CloseComplete). */
    private static ByteBuf emptyMessage(byte tag) {
        return Unpooled.buffer(5).writeByte(tag).writeInt(4);
    }

    /** A local error keeps its place after the messages before it (a native batch goes out first). */
    private void localError(ErrorResponse error) {
        if (!batch.isEmpty()) {
            sendBatch(null);
        }
        session.local().localError(error);
    }

    private void add(byte kind, long set, int forward) {
        add(kind, set, forward, null);
    }

    private void add(byte kind, long set, int forward, CacheHandle cache) {
        Request r = new Request(kind, set, forward, false, null, session.nodes());
        r.cache = cache;
        session.queue().add(r);
    }

    /**
     * Sends a message to its nodes and expects its answer; in native replication mode the messages up to the
     * next Sync are collected instead, so that a batch that writes runs as one unit (see {@link NativeUnit}).
     */
    private void send(ByteBuf f, byte kind, long set, Statement st, String logText, String logPrefix,
            SimpleQuery.Executed executed) {
        send(f, kind, set, st, logText, logPrefix, executed, null, null);
    }

    private void send(ByteBuf f, byte kind, long set, Statement st, String logText, String logPrefix,
            SimpleQuery.Executed executed, java.util.function.Function<String, ByteBuf> forOthers) {
        send(f, kind, set, st, logText, logPrefix, executed, forOthers, null);
    }

    private void send(ByteBuf f, byte kind, long set, Statement st, String logText, String logPrefix,
            SimpleQuery.Executed executed, java.util.function.Function<String, ByteBuf> forOthers,
            CacheHandle cache) {
        if (session.isNative()) {
            batch.add(new Batched(f, kind, set, st, logPrefix == null ? logText : logPrefix + logText, executed,
                    forOthers, NodeSet.EMPTY, cache));
            batchNodes |= set;
            return;
        }
        session.sendToNodes(f, plain(set), st, logText, logPrefix);
        add(kind, set, NodeSet.lowest(set), cache);
    }

    /** A message of a native-mode batch, routed but not sent yet. */
    private record Batched(ByteBuf frame, byte kind, long nodes, Statement statement, String logText,
            SimpleQuery.Executed executed, java.util.function.Function<String, ByteBuf> forOthers, long only,
            CacheHandle cache) {
    }

    /**
     * The batch is complete (a Sync came, ending with it): one node for all of it is sent as usual; several
     * nodes make it a native unit, where every message runs on every node of the batch.
     */
    private void sendBatch(ByteBuf sync) {
        List<Batched> messages = new ArrayList<>(batch);
        long nodes = batchNodes;
        batch.clear();
        batchNodes = NodeSet.EMPTY;
        if (NodeSet.size(nodes) <= 1 || sync == null) {
            for (Batched b : messages) {
                session.sendToNodes(b.frame(), plain(b.nodes()), b.statement(), b.logText(), null);
                add(b.kind(), b.nodes(), NodeSet.lowest(b.nodes()), b.cache());
            }
            return;
        }
        List<NativeUnit.Message> unit = new ArrayList<>();
        List<Statement> statements = new ArrayList<>();
        List<SimpleQuery.Executed> executed = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Batched b : messages) {
            unit.add(new NativeUnit.Message(b.kind(), b.frame(), b.logText(), b.forOthers(), b.only(), b.cache()));
            if (b.executed() != null) {
                executed.add(b.executed());
                statements.add(b.executed().statement());
                text.append(text.length() == 0 ? "" : "; ").append(b.executed().statement().text());
            }
        }
        unit.add(new NativeUnit.Message(FrontendTag.SYNC, sync, null));
        if (!session.connected(nodes)) {
            // cannot happen: every message's nodes were connected when it was routed
            throw new IllegalStateException("native batch without its connections");
        }
        session.units().start(new NativeUnit(session, rt, unit, statements, text.toString(), nodes,
                session.cluster().mainNodeId(), session.rewrites().insertLocks(statements)), executed);
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

    /** The decisions of messages that follow their statement, by node set: made once, not per message. */
    private static final RouteDecision[] PLAIN = new RouteDecision[64];

    private static RouteDecision plain(long set) {
        if (set >= 0 && set < PLAIN.length) {
            RouteDecision d = PLAIN[(int) set];
            if (d == null) {
                d = new RouteDecision(set, StatementClass.PRIMARY, false, false, false, null);
                PLAIN[(int) set] = d; // a benign race between event loops: equal decisions either way
            }
            return d;
        }
        return new RouteDecision(set, StatementClass.PRIMARY, false, false, false, null);
    }
}
