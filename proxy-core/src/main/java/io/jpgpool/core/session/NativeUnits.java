package io.jpgpool.core.session;

import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import java.util.List;

/**
 * A session's side of native replication: the {@link NativeUnit} under way, the statements it runs (for the
 * routing state once it is done), the main node's time that every unit of the transaction gives the other
 * nodes, and the FATAL that waits for the unit to finish when a node it used is lost meanwhile.
 */
final class NativeUnits {
    private final ClientSession session;
    /** The unit under way, if any. */
    private NativeUnit unit;
    /** The statements of the unit under way, for the routing state when it is done. */
    private List<SimpleQuery.Executed> executed;
    /** The main node's time in the current transaction, which the other nodes get (SEMANTICS B.8). */
    private String txClock;
    /** The FATAL that ends the session once the unit under way is over (a node it used was lost meanwhile). */
    private ErrorResponse fatalAfterUnit;

    NativeUnits(ClientSession session) {
        this.session = session;
    }

    /** Runs a unit once its nodes are connected (the caller waits for ReadyForQuery). */
    void start(NativeUnit u, List<SimpleQuery.Executed> statements) {
        executed = statements;
        unit = u;
        SessionBackends backends = session.backends();
        for (SimpleQuery.Executed e : statements) {
            long set = e.decision().nodes();
            for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
                backends.countStatement(n, e.statement());
            }
        }
        u.start();
    }

    /** The main node's time for the transaction under way, once a statement has read it; else null. */
    String transactionClock() {
        return txClock;
    }

    void transactionClock(String clock) {
        txClock = clock;
    }

    /** The unit is over and the client has its answer: ReadyForQuery, and the session's state follows. */
    void done(NativeUnit u) {
        byte mainStatus = session.mainTxStatus();
        if (mainStatus == ReadyForQuery.IDLE) {
            txClock = null; // the next transaction has its own time
        }
        session.routing().primaryTxStatus(mainStatus);
        if (!u.failed() && executed != null) {
            for (SimpleQuery.Executed e : executed) {
                session.replies().succeeded(e, mainStatus);
            }
        }
        executed = null;
        unit = null;
        session.replies().afterSyncPoint(u.failed(), mainStatus);
        byte merged = session.mergedStatus();
        session.out().encode(o -> ReadyForQuery.encode(o, merged));
        if (fatalAfterUnit != null) {
            session.sendFatal(fatalAfterUnit);
            return;
        }
        session.readyForQuery();
    }

    /**
     * A node the session uses is gone (its connection was lost, or it was detached). The session ends; but a
     * unit under way first finishes on the nodes left, so that a COMMIT that reached some of them reaches all of
     * them.
     */
    void nodeGone(int node, ErrorResponse fatal) {
        if (unit == null || !unit.lose(node)) {
            session.sendFatal(fatal);
            return;
        }
        if (fatalAfterUnit == null) {
            fatalAfterUnit = fatal;
        }
        SessionBackends backends = session.backends();
        BackendConnection c = backends.get(node);
        if (c != null) {
            backends.forget(c);
            c.abort();
        }
        session.queue().abandon(node);
    }
}
