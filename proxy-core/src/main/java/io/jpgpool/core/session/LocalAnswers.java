package io.jpgpool.core.session;

import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * Requests the session answers itself ({@code SHOW pool_*}, a BEGIN answered at once, a query cache hit, an
 * error of jpgpool's own): each answer is queued as a request of its own, so that it reaches the client in order
 * with what the backends still owe.
 */
final class LocalAnswers {
    private final ClientSession session;

    LocalAnswers(ClientSession session) {
        this.session = session;
    }

    /** Answers a whole request locally (SHOW pool_*), in order with what the backends still owe. */
    void answerLocally(ByteBuf frames) {
        answerWithReady(frames, FrontendTag.SYNC);
    }

    /** Answers a simple Query locally as the backends would have; it counts as a statement the client ran. */
    void answerQueryLocally(ByteBuf frames) {
        answerWithReady(frames, FrontendTag.QUERY);
    }

    private void answerWithReady(ByteBuf frames, byte kind) {
        ReadyForQuery.encode(frames, session.mergedStatus());
        answerWhole(frames, kind);
    }

    /** Answers a whole request with frames that end with their own ReadyForQuery (a query cache hit). */
    void answerWhole(ByteBuf frames, byte kind) {
        session.awaitReady();
        session.queue().add(Request.local(kind, frames, null));
        session.out().flush();
    }

    /** The same, once the answer is made (SHOW pool_nodes asks the nodes first); nothing is read meanwhile. */
    void answerLocallyLater(CompletableFuture<ByteBuf> frames) {
        if (frames.isDone() && !frames.isCompletedExceptionally()) {
            answerLocally(frames.join());
            return;
        }
        session.awaitReady();
        frames.whenComplete((answer, err) -> session.onLoop(() -> {
            if (session.isClosed()) {
                ReferenceCountUtil.release(answer);
                return;
            }
            ByteBuf b = answer;
            if (err != null) {
                b = session.out().alloc().buffer();
                ErrorResponse.error(SqlState.INTERNAL_ERROR, "could not read the nodes' status", err.toString())
                        .encode(b);
            }
            answerLocally(b);
        }));
    }

    /** One message of the extended protocol answered locally (a cached Execute, a Close of nothing). */
    void answerLocally(ByteBuf frame, byte kind) {
        session.queue().add(Request.local(kind == FrontendTag.SYNC ? kind : Request.LOCAL, frame, null));
    }

    void localError(ErrorResponse error) {
        ByteBuf frame = session.out().alloc().buffer();
        error.encode(frame);
        session.queue().add(Request.local(Request.LOCAL, frame, null));
    }
}
