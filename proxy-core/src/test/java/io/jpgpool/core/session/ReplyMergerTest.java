package io.jpgpool.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import org.junit.jupiter.api.Test;

/** What the client sees when a request ending with ReadyForQuery is complete on its nodes. */
class ReplyMergerTest {
    private static final byte I = ReadyForQuery.IDLE;
    private static final byte T = ReadyForQuery.IN_TRANSACTION;
    private static final byte E = ReadyForQuery.FAILED_TRANSACTION;

    @Test
    void theClientSeesTheWorstTransactionStatusOfItsConnections() {
        assertThat(ReplyMerger.mergedStatus(new byte[] {I, 0, I})).isEqualTo(I);
        assertThat(ReplyMerger.mergedStatus(new byte[] {T, I, 0})).isEqualTo(T);
        assertThat(ReplyMerger.mergedStatus(new byte[] {T, E, I})).isEqualTo(E);
    }

    @Test
    void aStatementThatFailedOnTheStandbyOnlyInsideATransactionAbortsThePrimarysSideToo() {
        Request r = query(NodeSet.with(NodeSet.of(0), 1));
        r.errorNodes = NodeSet.of(1);
        ReplyMerger.Verdict v = ReplyMerger.afterSyncPoint(r, new byte[] {T, E}, true, false, T);
        assertThat(v).isEqualTo(new ReplyMerger.Verdict.InjectAbort(NodeSet.of(0)));
    }

    @Test
    void theInjectedAbortItselfEndsInTheFailedStatus() {
        Request abort = query(NodeSet.of(0));
        abort.errorNodes = NodeSet.of(0);
        assertThat(ReplyMerger.afterSyncPoint(abort, new byte[] {E, E}, false, true, E))
                .isEqualTo(new ReplyMerger.Verdict.Ready(E));
    }

    @Test
    void outsideATransactionAStatementThatFailedOnSomeNodesOnlyIsAKindMismatch() {
        Request r = query(NodeSet.with(NodeSet.with(NodeSet.of(0), 1), 2));
        r.errorNodes = NodeSet.of(2);
        ReplyMerger.Verdict v = ReplyMerger.afterSyncPoint(r, new byte[] {I, I, I}, true, false, I);
        assertThat(v).isEqualTo(new ReplyMerger.Verdict.KindMismatch("0[C] 1[C] 2[E]"));
    }

    @Test
    void aStatementThatFailedEverywhereIsNoMismatch() {
        Request r = query(NodeSet.with(NodeSet.of(0), 1));
        r.errorNodes = NodeSet.with(NodeSet.of(0), 1);
        assertThat(ReplyMerger.afterSyncPoint(r, new byte[] {I, I}, true, false, I))
                .isEqualTo(new ReplyMerger.Verdict.Ready(I));
    }

    @Test
    void aSingleNodeReadyForQueryPassesThroughWhenTheOtherConnectionsAgreeOrAreIdle() {
        assertThat(ReplyMerger.passesThrough(new byte[] {I, I, 0}, 1, T)).isTrue();
        assertThat(ReplyMerger.passesThrough(new byte[] {T, T}, 1, T)).isTrue();
        assertThat(ReplyMerger.passesThrough(new byte[] {T, I}, 1, I)).as("the primary is in a transaction").isFalse();
        assertThat(ReplyMerger.passesThrough(new byte[] {I, I}, 1, (byte) 'X')).isFalse();
    }

    private static Request query(long targets) {
        return new Request(FrontendTag.QUERY, targets, NodeSet.lowest(targets), false, null, 3);
    }
}
