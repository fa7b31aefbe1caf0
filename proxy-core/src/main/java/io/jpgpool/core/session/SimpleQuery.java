package io.jpgpool.core.session;

import io.jpgpool.core.cache.CacheHandle;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RouteDecision;
import io.jpgpool.core.routing.Router;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The simple query protocol of a session: a Query is analysed, answered locally when it is a {@code SHOW
 * pool_*} command, else routed and sent to its nodes; a FunctionCall goes to the primary; CopyData of a COPY
 * FROM STDIN follows the COPY to every node it runs on.
 */
final class SimpleQuery {
    /** What a Query's request carries for the session to act on when it completes. */
    record Executed(Statement statement, RouteDecision decision, boolean simpleProtocol) {
        Executed(Statement statement, RouteDecision decision) {
            this(statement, decision, true);
        }
    }

    private final ClientSession session;
    private final ProxyRuntime rt;
    private final Router router;
    /** The nodes of the COPY FROM STDIN running now (none when none runs): the client's CopyData goes there. */
    private long copyNodes;
    private final PendingRoute pending = new PendingRoute();

    SimpleQuery(ClientSession session, ProxyRuntime rt, Router router) {
        this.session = session;
        this.rt = rt;
        this.router = router;
    }

    boolean query(ByteBuf f) {
        String sql = Query.decode(f).sql();
        Statement st = rt.statements().analyze(sql);
        if (AbortedTransaction.refuses(session.mergedStatus(), st)) {
            f.release();
            ByteBuf frames = session.out().alloc().buffer();
            AbortedTransaction.error(st.source()).encode(frames);
            session.local().answerLocally(frames);
            return true;
        }
        if (rt.localCommands().handles(st)) {
            f.release();
            session.local().answerLocallyLater(rt.localCommands().runLater(st, session));
            return true;
        }
        SessionCache cache = session.cache();
        ByteBuf hit = cache == null ? null : cache.lookup(sql, st);
        if (hit != null) {
            f.release();
            session.local().answerWhole(hit, FrontendTag.QUERY); // SEMANTICS F.2: no backend is asked
            return true;
        }
        if (!session.factsKnown(st)) {
            return false;
        }
        ClusterSnapshot snapshot = session.cluster();
        RouteDecision d = pending.take(f, snapshot);
        if (d == null) {
            d = router.route(st, session.routing(), snapshot, session.facts());
        }
        if (Router.isPlainBegin(st) && session.mergedStatus() == ReadyForQuery.IDLE && session.queue().isEmpty()) {
            beginAtOnce(f, st, d);
            return true;
        }
        if (!session.connected(d.nodes())) {
            pending.keep(f, d, snapshot);
            return false;
        }
        st.terminateBackendPid().ifPresent(pid -> TerminateRequests.note(rt, pid));
        session.awaitReady();
        CacheHandle handle = cache == null ? null : cache.querySent(sql, st, d.forwardNode());
        if (session.isNative() && NodeSet.size(d.nodes()) > 1) {
            // native replication: main node first, answers compared, minority detached (SEMANTICS B.2-B.5)
            NativeRewrites rewrites = session.rewrites();
            List<NativeUnit.Message> unit = new ArrayList<>(List.of(new NativeUnit.Message(FrontendTag.QUERY, f, sql,
                    rewrites.simpleQuery(st, session.out().alloc()), NodeSet.EMPTY, handle)));
            session.units().start(new NativeUnit(session, rt, unit, List.of(st), sql, d.nodes(),
                    session.cluster().mainNodeId(), rewrites.insertLocks(List.of(st))),
                    List.of(new Executed(st, d)));
            return true;
        }
        session.sendToNodes(f, d, st, sql, null);
        Request r = new Request(FrontendTag.QUERY, d.nodes(), d.forwardNode(), false, new Executed(st, d),
                session.nodes());
        r.cache = handle;
        session.queue().add(r);
        return true;
    }

    /**
     * A plain BEGIN at idle is answered at once, and its nodes owe it: each gets it just before the first
     * message of the transaction sent there (OwedBegins#send). A transaction of N statements then
     * costs N + 1 round trips instead of N + 2, and a node the transaction never reaches gets nothing.
     */
    private void beginAtOnce(ByteBuf f, Statement st, RouteDecision d) {
        f.release();
        session.replies().succeeded(new Executed(st, d), ReadyForQuery.IN_TRANSACTION);
        session.routing().oweBegin(d.nodes());
        session.routing().primaryTxStatus(ReadyForQuery.IN_TRANSACTION);
        session.replies().afterSyncPoint(false, ReadyForQuery.IN_TRANSACTION);
        session.awaitReady();
        ByteBuf frames = session.out().alloc().buffer();
        new CommandComplete("BEGIN").encode(frames);
        session.local().answerQueryLocally(frames);
    }

    boolean functionCall(ByteBuf f) {
        int primary = session.cluster().primaryOrMain();
        long set = NodeSet.of(primary);
        if (!session.connected(set)) {
            return false;
        }
        session.owedBegins().send(set);
        session.sendTo(primary, f, "F message");
        if (session.cache() != null) {
            session.cache().functionCallSent();
        }
        session.awaitReady();
        session.queue().add(new Request(FrontendTag.FUNCTION_CALL, set, primary, false, null, session.nodes()));
        return true;
    }

    /** Whether the client's COPY data has somewhere to go. */
    boolean copying() {
        return copyNodes != NodeSet.EMPTY;
    }

    void copyData(ByteBuf f, byte tag) {
        long set = copyNodes;
        boolean first = true;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (!session.backends().has(n)) {
                continue;
            }
            session.sendTo(n, first ? f.retain() : f.retainedDuplicate(), null);
            first = false;
        }
        f.release();
        if (tag != FrontendTag.COPY_DATA) {
            copyNodes = NodeSet.EMPTY;
        }
    }

    /** A COPY FROM STDIN started on these nodes: the client's CopyData follows. */
    void copyInStarted(long nodes) {
        copyNodes = nodes;
    }
}
