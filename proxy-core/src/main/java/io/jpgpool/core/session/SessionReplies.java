package io.jpgpool.core.session;

import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.BackendListener;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RoutingState;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's reply path: the backends' messages go into the {@link RequestQueue}, which hands back what
 * each request's answers mean. Forwarded messages
 * go to the client as they come (batched by {@link ClientOutput}); asynchronous ones (ParameterStatus,
 * NotificationResponse, a notice of the primary) are dealt with as PostgreSQL would; when a request that ends
 * with ReadyForQuery is complete, the session's state follows its outcome and {@link ReplyMerger} decides
 * what the client sees: the merged transaction status, an abort to inject, or a kind mismatch.
 */
final class SessionReplies implements RequestQueue.Sink, BackendListener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionReplies.class);
    private final ClientSession session;
    private final ProxyRuntime rt;
    private final ClientLatency latency;

    SessionReplies(ClientSession session, ProxyRuntime rt, SessionClock clock) {
        this.session = session;
        this.rt = rt;
        this.latency = new ClientLatency(rt.metrics(), clock);
    }

    private RoutingState routing() {
        return session.routing();
    }

    /** The abort jpgpool sent on its own before telling the client its transaction failed. */
    private record InjectedAbort(Request original) {
    }

    // ------------------------------------------------------------------ from the backends

    @Override
    public void onMessage(BackendConnection connection, ByteBuf frame) {
        if (session.isClosed()) {
            frame.release();
            return;
        }
        session.queue().onBackendFrame(connection.nodeId(), frame);
    }

    @Override
    public void onMessages(BackendConnection connection, ByteBuf batch) {
        try {
            if (!session.isClosed()) {
                session.queue().onBackendBatch(connection.nodeId(), batch);
                session.out().flushPendingRange();
            }
        } finally {
            batch.release();
        }
    }

    @Override
    public void onReadComplete(BackendConnection connection) {
        session.out().flush();
        session.backends().flush();
    }

    @Override
    public void onWritabilityChanged(BackendConnection connection) {
        if (connection.channel().isWritable() && session.isReady()) {
            session.out().autoRead(true);
        }
    }

    @Override
    public void onClosed(BackendConnection connection, Throwable cause) {
        if (session.backends() == null || !session.backends().forget(connection) || session.isClosed()) {
            return;
        }
        int node = connection.nodeId();
        if (connection.isTerminateRequested()) {
            // pg_terminate_backend: the client has the backend's FATAL; no probe, no FATAL of ours (as pgpool)
            session.closeAfterBackendTerminated();
            return;
        }
        // pgpool's texts for a backend socket that reads EOF or fails (pool_stream.c, pool_read)
        String message = "unable to read data from DB node " + node;
        String detail = cause == null ? "EOF encountered with backend"
                : "socket read failed with error \"" + cause.getMessage() + "\"";
        LOG.atError().addMarker(io.jpgpool.core.logging.LogContext.FATAL)
                .addKeyValue(io.jpgpool.core.logging.LogContext.DETAIL, detail).log(message);
        rt.suspect(node);
        session.units().nodeGone(node, ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, message, detail));
    }

    // ------------------------------------------------------------------ to the client

    @Override
    public void toClient(ByteBuf frame) {
        session.out().write(frame);
    }

    @Override
    public void toClientRange(ByteBuf batch, int start, int end) {
        session.out().writeRange(batch, start, end);
    }

    @Override
    public void copyInStarted(Request request) {
        long nodes = request.context instanceof NativeUnit.Part part ? part.unit().copyStarted() : request.targets;
        session.simple().copyInStarted(nodes);
        session.resume(); // CopyData the client sent ahead (pgproto does) waits in the inbox: it goes now
    }

    @Override
    public void asynchronous(int node, ByteBuf frame, boolean unsolicited) {
        byte tag = frame.getByte(frame.readerIndex());
        if (tag == BackendTag.PARAMETER_STATUS) {
            ParameterStatus ps = ParameterStatus.decode(frame);
            BackendConnection c = session.backends().get(node);
            if (c != null) {
                c.parameters().put(ps.name(), ps.value());
            }
            if (node == session.paramNode()) {
                session.out().write(frame); // ParameterStatus comes from the primary (SEMANTICS A.15)
            } else {
                frame.release();
            }
            return;
        }
        if (tag == BackendTag.NOTIFICATION_RESPONSE || (node == session.paramNode()
                && (tag == BackendTag.NOTICE_RESPONSE || tag == BackendTag.ERROR_RESPONSE))) {
            session.out().write(frame);
            session.out().flush();
            return;
        }
        frame.release();
    }

    @Override
    public void backendError(int node, ByteBuf frame) {
        rt.stats().error(node, ErrorResponse.decode(frame).severity());
    }

    @Override
    public void requestDone(Request r) {
        if (r.context instanceof NativeUnit.Part part) {
            part.unit().partDone(r);
            return;
        }
        latency.done(r);
        if (!r.isSyncPoint()) {
            if (r.kind == FrontendTag.EXECUTE && r.failed()) {
                routing().onError();
            }
            return;
        }
        if (r.localAnswer) {
            session.readyForQuery();
            return;
        }
        for (int n = NodeSet.next(r.targets, 0); n >= 0; n = NodeSet.next(r.targets, n + 1)) {
            BackendConnection c = session.backends().get(n);
            if (c != null) {
                c.txStatus(r.readyStatus[n]);
            }
        }
        if (r.context == SessionSettings.REPLAY) {
            return; // a connection that joined the session has its settings; the client waits for nothing
        }
        int primary = session.cluster().primaryOrMain();
        BackendConnection primaryConn = primary >= 0 ? session.backends().get(primary) : null;
        byte[] now = session.statuses();
        byte primaryStatus = primaryConn != null || NodeSet.contains(routing().owedBeginNodes(), primary)
                ? session.owedBegins().txStatusOf(primary) : session.owedBegins().overlay(ReplyMerger.mergedStatus(now));
        routing().primaryTxStatus(primaryStatus);
        if (r.context instanceof SimpleQuery.Executed e && !r.failed()) {
            succeeded(e, primaryStatus);
        }
        ReplyMerger.Verdict verdict = ReplyMerger.afterSyncPoint(r, now, r.context instanceof SimpleQuery.Executed,
                r.context instanceof InjectedAbort, primaryStatus);
        if (verdict instanceof ReplyMerger.Verdict.KindMismatch km) {
            kindMismatch(r, ((SimpleQuery.Executed) r.context).statement(), km.kinds());
            return;
        }
        afterSyncPoint(r.failed(), primaryStatus);
        if (verdict instanceof ReplyMerger.Verdict.InjectAbort ia) {
            injectAbort(ia.nodes(), r);
            return;
        }
        byte merged = session.owedBegins().overlay(((ReplyMerger.Verdict.Ready) verdict).status());
        Request original = r.context instanceof InjectedAbort ia ? ia.original() : r;
        if (original.readyForwarded) {
            assert original == r && r.readyStatus[r.forwardNode] == merged : "see readyPassesThrough";
        } else if (original.forwardReady != null && ReadyForQuery.status(original.forwardReady) == merged) {
            session.out().write(original.forwardReady);
            original.forwardReady = null;
        } else {
            if (original.forwardReady != null) {
                original.forwardReady.release();
                original.forwardReady = null;
            }
            session.out().encode(o -> ReadyForQuery.encode(o, merged));
        }
        session.readyForQuery();
    }

    /** A statement succeeded: what routing remembers of it (writes in the transaction, prepared names...). */
    void succeeded(SimpleQuery.Executed e, byte primaryStatus) {
        routing().onSuccess(e.statement(), e.decision(), primaryStatus != ReadyForQuery.IDLE);
        session.extended().forgetDeallocated(e.statement());
        if (e.simpleProtocol()) {
            session.settings().executed(e.statement()); // the extended protocol's are kept at Execute
        }
    }

    /** The session's transaction state after a ReadyForQuery. */
    /** Native replication: the client has the answer to a request of a unit, after the vote. */
    void answered(Request r) {
        latency.done(r);
    }

    void afterSyncPoint(boolean failed, byte primaryStatus) {
        latency.ready(primaryStatus);
        if (failed) {
            routing().onError();
        }
        if (primaryStatus == ReadyForQuery.IDLE) {
            routing().onIdle();
            session.extended().closePortals();
            session.units().transactionClock(null);
        }
    }

    /**
     * A single-node request's ReadyForQuery passes through unchanged when the other connections leave the
     * merged status as it is and no abort has to be injected: each of them is idle or has the same status.
     */
    @Override
    public boolean readyPassesThrough(int node, byte status) {
        return session.backends() != null && ReplyMerger.passesThrough(session.statuses(), node, status);
    }

    /**
     * One node failed inside a transaction while another did not: make the others fail too, so the client's
     * ROLLBACK (or COMMIT, which then reports ROLLBACK) ends the transaction the same way everywhere.
     * Pgpool-II 4.3 would let the primary commit; we do not.
     */
    private void injectAbort(long set, Request original) {
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            ByteBuf msg = session.out().alloc().buffer();
            new Query("jpgpool: abort this transaction because another node failed").encode(msg);
            session.sendTo(n, msg, null);
        }
        session.queue().add(new Request(FrontendTag.QUERY, set, -1, true, new InjectedAbort(original),
                session.nodes()));
        session.backends().flush();
    }

    /** Pgpool's answer when nodes disagree outside a transaction: the session cannot go on consistently. */
    private void kindMismatch(Request r, Statement st, String kinds) {
        r.releaseBuffers();
        session.sendFatal(ErrorResponse.of(BackendTag.ERROR_RESPONSE, "FATAL", SqlState.INTERNAL_ERROR,
                "failed to read kind from backend",
                "kind mismatch among backends. Possible last query was: \"" + st.text() + "\" kind details are: "
                        + kinds,
                "check data consistency among db nodes"));
    }
}
