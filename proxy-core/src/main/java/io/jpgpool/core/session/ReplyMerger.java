package io.jpgpool.core.session;

import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.backend.ReadyForQuery;

/**
 * What the client sees when a request that ends with ReadyForQuery is complete on every node it went to:
 * plain decisions over the nodes' outcomes and transaction statuses, no I/O (SEMANTICS A.12, A.15, B.4).
 *
 * <ul>
 *   <li>the merged transaction status: {@code E} if any node failed its transaction, else {@code T} if any is
 *       in one, else {@code I};</li>
 *   <li>a failure on some nodes inside a transaction makes the others fail too (an abort is injected), so that
 *       COMMIT cannot commit on some nodes only;</li>
 *   <li>a statement that failed on some nodes and not on others outside a transaction is a kind mismatch:
 *       pgpool ends the session with a FATAL naming each node's kind.</li>
 * </ul>
 */
final class ReplyMerger {
    private ReplyMerger() {
    }

    /** What to do with a completed sync-point request. */
    sealed interface Verdict {
        /** Tell the client ReadyForQuery with this status. */
        record Ready(byte status) implements Verdict {
            private static final Ready IDLE = new Ready(ReadyForQuery.IDLE);
            private static final Ready IN_TRANSACTION = new Ready(ReadyForQuery.IN_TRANSACTION);

            /** The usual verdicts are shared: one per statement is garbage for nothing. */
            static Ready of(byte status) {
                return switch (status) {
                    case ReadyForQuery.IDLE -> IDLE;
                    case ReadyForQuery.IN_TRANSACTION -> IN_TRANSACTION;
                    default -> new Ready(status);
                };
            }
        }

        /** Fail the transaction on these nodes first (they are still in it), then tell the client. */
        record InjectAbort(long nodes) implements Verdict {
        }

        /** The nodes answered with different kinds: pgpool's FATAL, with each node's kind in the DETAIL. */
        record KindMismatch(String kinds) implements Verdict {
        }
    }

    /**
     * @param statuses the transaction status of each node's connection after this request (0: no connection)
     * @param executedStatement the request ran a client statement (a simple Query), not an internal one
     * @param injected the request is jpgpool's own abort, injected after another failure
     * @param primaryStatus the status of the primary's connection (the session's transaction state)
     */
    static Verdict afterSyncPoint(Request r, byte[] statuses, boolean executedStatement, boolean injected,
            byte primaryStatus) {
        if (executedStatement && isKindMismatch(r, primaryStatus)) {
            return new Verdict.KindMismatch(kinds(r));
        }
        byte merged = mergedStatus(statuses);
        if (merged == ReadyForQuery.FAILED_TRANSACTION && !injected) {
            long inTransaction = nodesWithStatus(statuses, ReadyForQuery.IN_TRANSACTION);
            if (inTransaction != 0) {
                return new Verdict.InjectAbort(inTransaction);
            }
        }
        return Verdict.Ready.of(merged);
    }

    /** Outside a transaction, a statement that failed on some of several nodes (SEMANTICS B.4, A.12). */
    static boolean isKindMismatch(Request r, byte primaryStatus) {
        return r.failed() && r.errorNodes != r.targets && primaryStatus == ReadyForQuery.IDLE && r.targets != 0
                && NodeSet.size(r.targets) > 1;
    }

    /** {@code 0[C] 1[E]}: each node of the request, with E where it failed. */
    static String kinds(Request r) {
        StringBuilder kinds = new StringBuilder();
        for (int n = NodeSet.next(r.targets, 0); n >= 0; n = NodeSet.next(r.targets, n + 1)) {
            kinds.append(n).append(NodeSet.contains(r.errorNodes, n) ? "[E] " : "[C] ");
        }
        return kinds.toString().trim();
    }

    /** The status the client sees: E if any node failed its transaction, else T if any is in one, else I. */
    static byte mergedStatus(byte[] statuses) {
        byte s = ReadyForQuery.IDLE;
        for (byte st : statuses) {
            if (st == ReadyForQuery.FAILED_TRANSACTION) {
                return ReadyForQuery.FAILED_TRANSACTION;
            }
            if (st == ReadyForQuery.IN_TRANSACTION) {
                s = ReadyForQuery.IN_TRANSACTION;
            }
        }
        return s;
    }

    static long nodesWithStatus(byte[] statuses, byte status) {
        long set = NodeSet.EMPTY;
        for (int n = 0; n < statuses.length; n++) {
            if (statuses[n] == status) {
                set = NodeSet.with(set, n);
            }
        }
        return set;
    }

    /**
     * Whether a single-node request's ReadyForQuery with {@code status} is already what the client must see:
     * every other connection is idle or has that same status.
     */
    static boolean passesThrough(byte[] statuses, int node, byte status) {
        if (status != ReadyForQuery.IDLE && status != ReadyForQuery.IN_TRANSACTION
                && status != ReadyForQuery.FAILED_TRANSACTION) {
            return false;
        }
        for (int n = 0; n < statuses.length; n++) {
            byte s = statuses[n];
            if (n != node && s != 0 && s != ReadyForQuery.IDLE && s != status) {
                return false;
            }
        }
        return true;
    }
}
