package io.jpgpool.core.session;

import io.jpgpool.core.metrics.Metrics;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import java.util.concurrent.TimeUnit;

/**
 * A session's statements and transactions as its client sees them, from the time each request was queued
 * ({@link Request#queuedNanos}: the arrival of its client message, or the answer it waited for) to its
 * completion: a statement is a simple Query or an Execute; a transaction runs from the first request after the
 * session was idle to the ReadyForQuery that makes it idle again (a statement outside a transaction block is a
 * transaction of its own, as pgbench counts it). The clock is read once per statement and per sync point, and
 * a transaction ends at its last sync point's reading.
 */
final class ClientLatency {
    private final Metrics metrics;
    private final SessionClock clock;
    private long transactionStart;
    /** When the latest sync point (Query, Sync, FunctionCall) completed: where a transaction ending now ends. */
    private long syncPointDone;

    ClientLatency(Metrics metrics, SessionClock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A request is complete (in client order). Requests jpgpool sends on its own are not the client's. */
    void done(Request r) {
        if (r.hidden) {
            return;
        }
        if (transactionStart == 0) {
            transactionStart = r.queuedNanos;
        }
        boolean statement = r.kind == FrontendTag.QUERY || r.kind == FrontendTag.EXECUTE;
        boolean syncPoint = Request.isSyncPoint(r.kind);
        if (statement || syncPoint) {
            long now = clock.read();
            if (statement) {
                metrics.statements().record(now - r.queuedNanos, TimeUnit.NANOSECONDS);
            }
            if (syncPoint) {
                syncPointDone = now;
            }
        }
    }

    /** The session's status after a ReadyForQuery: idle ends the transaction. */
    void ready(byte status) {
        if (status == ReadyForQuery.IDLE && transactionStart != 0) {
            long end = syncPointDone - transactionStart >= 0 ? syncPointDone : clock.read();
            metrics.transactions().record(end - transactionStart, TimeUnit.NANOSECONDS);
            transactionStart = 0;
        }
    }
}
