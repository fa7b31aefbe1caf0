package io.jpgpool.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given requests sent to some nodes, when answers arrive in some order, then the client sees... */
class RequestQueueTest {
    private final List<String> client = new ArrayList<>();
    private final List<Request> done = new ArrayList<>();
    private boolean statusUnchanged;
    private final RequestQueue queue = new RequestQueue(new RequestQueue.Sink() {
        @Override
        public void toClient(ByteBuf frame) {
            client.add(describe(frame));
            frame.release();
        }

        @Override
        public boolean readyPassesThrough(int node, byte status) {
            return statusUnchanged;
        }

        @Override
        public void requestDone(Request request) {
            done.add(request);
        }

        @Override
        public void asynchronous(int node, ByteBuf frame, boolean unsolicited) {
            client.add("async from " + node + ": " + describe(frame));
            frame.release();
        }
    }, 3, new SessionClock());

    @Test
    void answersReachTheClientInRequestOrderEvenWhenALaterNodeIsFaster() {
        // BEGIN to nodes 0 and 1 (client sees node 0), then a Parse on node 1 only
        Request begin = request('E', 0, 1);
        Request parse = request('P', 1);
        queue.add(begin);
        queue.add(parse);

        queue.onBackendFrame(1, complete("BEGIN"));
        queue.onBackendFrame(1, empty(BackendTag.PARSE_COMPLETE)); // node 1 is ahead of node 0
        assertThat(client).isEmpty();

        queue.onBackendFrame(0, complete("BEGIN"));
        assertThat(client).containsExactly("C BEGIN", "1");
        assertThat(done).containsExactly(begin, parse);
    }

    @Test
    void onlyTheForwardNodesAnswerReachesTheClient() {
        Request set = request('Q', 0, 1);
        queue.add(set);
        queue.onBackendFrame(1, complete("SET"));
        queue.onBackendFrame(1, ready('I'));
        queue.onBackendFrame(0, complete("SET"));
        assertThat(client).containsExactly("C SET");
        assertThat(done).isEmpty();
        queue.onBackendFrame(0, ready('I'));
        assertThat(done).containsExactly(set);
        assertThat(set.forwardReady).isNotNull();
        assertThat(set.readyStatus[0]).isEqualTo((byte) 'I');
        assertThat(set.readyStatus[1]).isEqualTo((byte) 'I');
        set.releaseBuffers();
    }

    @Test
    void afterAnExtendedErrorNothingElseReachesTheClientUntilSync() {
        Request parse = request('P', 1);
        Request bind = request('B', 1);
        Request execute = request('E', 1);
        Request sync = request('S', 1);
        queue.add(parse);
        queue.add(bind);
        queue.add(execute);
        queue.add(sync);

        queue.onBackendFrame(1, error("syntax error"));
        // the server skips Bind and Execute; only ReadyForQuery comes back
        queue.onBackendFrame(1, ready('I'));
        assertThat(client).containsExactly("E syntax error");
        assertThat(done).containsExactly(parse, bind, execute, sync);
        assertThat(queue.skippingUntilSync()).isFalse();
        sync.releaseBuffers();
    }

    @Test
    void aNodeThatErrorsSkipsToSyncWhileTheOtherNodesAnswersAreDropped() {
        // Parse on node 1 fails; an Execute already sent to node 0 succeeds but the client must not see it
        Request parse = request('P', 1);
        Request execute = request('E', 0);
        Request sync = request('S', 0, 1);
        queue.add(parse);
        queue.add(execute);
        queue.add(sync);

        queue.onBackendFrame(0, complete("INSERT 0 1"));
        queue.onBackendFrame(1, error("relation does not exist"));
        queue.onBackendFrame(0, ready('I'));
        queue.onBackendFrame(1, ready('I'));
        assertThat(client).containsExactly("E relation does not exist");
        assertThat(done).containsExactly(parse, execute, sync);
        sync.releaseBuffers();
    }

    @Test
    void aSimpleQueryErrorIsForwardedAndTheQueryEndsAtReadyForQuery() {
        Request q = request('Q', 0);
        queue.add(q);
        queue.onBackendFrame(0, error("division by zero"));
        assertThat(done).isEmpty();
        queue.onBackendFrame(0, ready('E'));
        assertThat(client).containsExactly("E division by zero");
        assertThat(done).containsExactly(q);
        assertThat(q.failed()).isTrue();
        q.releaseBuffers();
    }

    @Test
    void aHiddenReparseIsSilentUnlessItFails() {
        Request hidden = new Request((byte) 'P', NodeSet.of(0), 0, true, null, 3);
        Request bind = request('B', 0);
        queue.add(hidden);
        queue.add(bind);
        queue.onBackendFrame(0, empty(BackendTag.PARSE_COMPLETE));
        queue.onBackendFrame(0, empty(BackendTag.BIND_COMPLETE));
        assertThat(client).containsExactly("2");
    }

    @Test
    void heldAndCapturedAnswersStayWithTheirOwnerWhenTheyBecomeTheHeadAfterTheirNodeAnswered() {
        // a hidden request on node 1 (a settings replay) is still running when node 0 answers the unit's
        Request replay = new Request((byte) 'Q', NodeSet.of(1), -1, true, null, 3);
        Request clock = new Request((byte) 'Q', NodeSet.of(0), -1, true, null, 3);
        clock.capture = true;
        Request held = request('Q', 0);
        held.hold = true;
        queue.add(replay);
        queue.add(clock);
        queue.add(held);
        deliver(0, complete("SELECT 1"), ready('T'), complete("INSERT 0 1"), ready('T'));
        deliver(1, complete("SET"), ready('I'));
        assertThat(done).containsExactly(replay, clock, held);
        assertThat(client).as("nothing is the client's until the unit says so").isEmpty();
        assertThat(clock.buffered).hasSize(1);
        assertThat(held.buffered).hasSize(1);
        clock.releaseBuffers();
        held.releaseBuffers();
    }

    @Test
    void whatALostNodeOwedCompletesWithoutItsAnswer() {
        Request commit = request('Q', 1, 2);
        Request next = request('Q', 2);
        queue.add(commit);
        queue.add(next);
        deliver(1, complete("COMMIT"), ready('I'));
        assertThat(done).isEmpty();
        queue.abandon(2);
        assertThat(done).containsExactly(commit, next);
        assertThat(queue.owes(2)).isFalse();
        commit.releaseBuffers();
    }

    @Test
    void notificationsAndParameterStatusAreAsynchronous() {
        queue.add(request('Q', 0));
        ByteBuf ps = Unpooled.buffer();
        new io.jpgpool.protocol.backend.ParameterStatus("application_name", "x").encode(ps);
        queue.onBackendFrame(0, ps);
        assertThat(client).containsExactly("async from 0: S");
    }

    @Test
    void aLocalAnswerWaitsForTheRequestsBeforeIt() {
        Request execute = request('E', 0);
        queue.add(execute);
        ByteBuf close = Unpooled.buffer();
        PgBuffers.writeEmptyMessage(close, BackendTag.CLOSE_COMPLETE);
        queue.add(Request.local(Request.LOCAL, close, null));
        assertThat(client).isEmpty();
        queue.onBackendFrame(0, complete("SELECT 1"));
        assertThat(client).containsExactly("C SELECT 1", "3");
    }

    @Test
    void aSingleNodeQuerysReadyForQueryGoesOutWithItsAnswerWhenTheStatusStaysTheSame() {
        statusUnchanged = true;
        Request q = request('Q', 1);
        queue.add(q);
        deliver(1, complete("SELECT 1"), ready('I'));
        assertThat(client).containsExactly("C SELECT 1", "Z");
        assertThat(done).containsExactly(q);
        assertThat(q.readyForwarded).isTrue();
        assertThat(q.forwardReady).isNull();
        assertThat(q.readyStatus[1]).isEqualTo((byte) 'I');
    }

    @Test
    void aReadyForQueryWhoseStatusTheSessionMustChangeIsKeptForTheSession() {
        statusUnchanged = false; // e.g. another node is inside a transaction
        Request q = request('Q', 1);
        queue.add(q);
        deliver(1, complete("SELECT 1"), ready('I'));
        assertThat(client).containsExactly("C SELECT 1");
        assertThat(done).containsExactly(q);
        assertThat(q.readyForwarded).isFalse();
        assertThat(q.forwardReady).isNotNull();
        q.releaseBuffers();
    }

    @Test
    void aRequestSentToSeveralNodesNeverPassesItsReadyForQueryThrough() {
        statusUnchanged = true;
        Request set = request('Q', 0, 1);
        queue.add(set);
        deliver(1, complete("SET"), ready('I'));
        deliver(0, complete("SET"), ready('I'));
        assertThat(client).containsExactly("C SET");
        assertThat(done).containsExactly(set);
        assertThat(set.readyForwarded).isFalse();
        assertThat(set.forwardReady).isNotNull();
        set.releaseBuffers();
    }

    // ------------------------------------------------------------------ helpers

    /** The frames arrive from {@code node} in one socket read. */
    private void deliver(int node, ByteBuf... frames) {
        ByteBuf batch = Unpooled.buffer();
        for (ByteBuf f : frames) {
            batch.writeBytes(f);
            f.release();
        }
        queue.onBackendBatch(node, batch);
        batch.release();
    }

    private Request request(char kind, int... nodes) {
        long set = 0;
        for (int n : nodes) {
            set = NodeSet.with(set, n);
        }
        return new Request((byte) kind, set, NodeSet.lowest(set), false, null, 3);
    }

    private static ByteBuf complete(String tag) {
        ByteBuf b = Unpooled.buffer();
        new CommandComplete(tag).encode(b);
        return b;
    }

    private static ByteBuf ready(char status) {
        ByteBuf b = Unpooled.buffer();
        ReadyForQuery.encode(b, (byte) status);
        return b;
    }

    private static ByteBuf error(String message) {
        ByteBuf b = Unpooled.buffer();
        ErrorResponse.error("42000", message).encode(b);
        return b;
    }

    private static ByteBuf empty(byte tag) {
        ByteBuf b = Unpooled.buffer();
        PgBuffers.writeEmptyMessage(b, tag);
        return b;
    }

    private static String describe(ByteBuf frame) {
        byte tag = frame.getByte(frame.readerIndex());
        return switch (tag) {
            case BackendTag.COMMAND_COMPLETE -> "C " + CommandComplete.decode(frame).tag();
            case BackendTag.ERROR_RESPONSE -> "E " + ErrorResponse.decode(frame).message();
            default -> String.valueOf((char) tag);
        };
    }
}
