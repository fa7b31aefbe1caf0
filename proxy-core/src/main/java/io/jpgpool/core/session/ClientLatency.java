package io.jpgpool.core.session;

import io.jpgpool.core.metrics.Metrics;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import java.util.concurrent.TimeUnit;

/**
 * A session's statements and transactions as its client sees them, from the time each request was queued
 * ({@link Request#queuedNanos}) to its completion: a statement is a simple Query or an Execute; a transaction
 * runs from the first request after the session was idle to the ReadyForQuery that makes it idle again (a
 * statement outside a transaction block is a transaction of its own, as pgbench counts it).
 */
final class ClientLatency {
    private final Metrics metrics;
    private long transactionStart;

    ClientLatency(Metrics metrics) {
        this.metrics = metrics;
    }

    /** A request is complete (in client order). Requests jpgpool sends on its own are not the client's. */
    void done(Request r) {
        if (r.hidden) {
            return;
        }
        long now = System.nanoTime();
        if (transactionStart == 0) {
            transactionStart = r.queuedNanos;
        }
        if (r.kind == FrontendTag.QUERY || r.kind == FrontendTag.EXECUTE) {
            metrics.statements().record(now - r.queuedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The session's status after a ReadyForQuery: idle ends the transaction. */
    void ready(byte status) {
        if (status == ReadyForQuery.IDLE && transactionStart != 0) {
            metrics.transactions().record(System.nanoTime() - transactionStart, TimeUnit.NANOSECONDS);
            transactionStart = 0;
        }
    }
}
