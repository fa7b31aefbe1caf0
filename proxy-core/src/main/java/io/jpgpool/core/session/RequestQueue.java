package io.jpgpool.core.session;

import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Matches backend answers to the requests they answer and decides what the client sees.
 *
 * <p>Every backend answers its requests in order, so each node has a FIFO of the requests it owes. The client
 * must see answers in the order it asked, so the session keeps one FIFO of all requests; only the head may
 * write to the client, later ones buffer. Of a request sent to several nodes, only the forward node's answer
 * reaches the client (pgpool's virtual main node); the others are read for their outcome and dropped.
 *
 * <p>Extended protocol errors: a server that reports an error skips everything up to the next Sync, so its
 * later requests complete without an answer; once an error has reached the client, nothing else does until
 * the Sync's ReadyForQuery, exactly as a client talking to one PostgreSQL server would see.
 */
final class RequestQueue {
    /** What the queue needs from its session. */
    interface Sink {
        void toClient(ByteBuf frame);

        /**
         * Bytes {@code [start, end)} of {@code batch} (whole messages) go to the client; consecutive ranges of the
         * same batch are written as one. The batch stays valid until {@link #onBackendBatch} returns.
         */
        default void toClientRange(ByteBuf batch, int start, int end) {
            toClient(batch.retainedSlice(start, end - start));
        }

        /**
         * Whether {@code node}'s ReadyForQuery with {@code status}, ending a request that went to that node alone,
         * is already what the client must see, so that it can go out in one write with the answer before it.
         */
        default boolean readyPassesThrough(int node, byte status) {
            return false;
        }

        /** A request is complete on every node it went to (called in client order). */
        void requestDone(Request request);

        /** A message not part of any answer: NotificationResponse, ParameterStatus, or one from an idle node. */
        void asynchronous(int node, ByteBuf frame, boolean unsolicited);

        /** The forward node of a request started COPY FROM STDIN: the client will now send CopyData. */
        default void copyInStarted(Request request) {
        }

        /** {@code node} answered a request with this ErrorResponse (counted per node, as pgpool does). */
        default void backendError(int node, ByteBuf frame) {
        }
    }

    private final Sink sink;
    private final SessionClock clock;
    private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Request>[] perNode;
    private boolean skipUntilSync;

    @SuppressWarnings("unchecked")
    RequestQueue(Sink sink, int nodes, SessionClock clock) {
        this.sink = sink;
        this.clock = clock;
        this.perNode = new ArrayDeque[nodes];
        for (int i = 0; i < nodes; i++) {
            perNode[i] = new ArrayDeque<>();
        }
    }

    /** Adds a request that has just been sent to its targets (or a local one). */
    void add(Request r) {
        if (!r.hidden) {
            r.queuedNanos = clock.last(); // the client message's arrival, or the answer that let it go on
        }
        boolean head = inFlight.isEmpty();
        inFlight.add(r);
        for (int n = NodeSet.next(r.targets, 0); n >= 0; n = NodeSet.next(r.targets, n + 1)) {
            perNode[n].add(r);
        }
        if (head) {
            drainBuffer(r);
        }
        if (r.done && head) {
            advance();
        }
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    int size() {
        return inFlight.size();
    }

    /** Nodes that still owe answers. */
    long busyNodes() {
        long busy = NodeSet.EMPTY;
        for (int n = 0; n < perNode.length; n++) {
            if (!perNode[n].isEmpty()) {
                busy = NodeSet.with(busy, n);
            }
        }
        return busy;
    }

    boolean owes(int node) {
        return !perNode[node].isEmpty();
    }

    /** An error reached the client and the rest up to Sync is swallowed. */
    boolean skippingUntilSync() {
        return skipUntilSync;
    }

    /**
     * Several whole messages from {@code node} (one socket read). Messages that only need forwarding to the
     * client, or only mark a request done on a node whose answer is not forwarded, are handled by index
     * without a slice of their own; the others go through {@link #onBackendFrame}. The caller keeps the batch.
     */
    void onBackendBatch(int node, ByteBuf batch) {
        int pos = batch.readerIndex();
        int end = batch.writerIndex();
        ArrayDeque<Request> mine = perNode[node];
        while (pos < end) {
            byte tag = batch.getByte(pos);
            int next = pos + 1 + batch.getInt(pos + 1);
            Request r = mine.peekFirst();
            if (r != null && isPlain(tag) && !(r.hidden && r.kind == 'P') && r.outcomes == null && !r.hold
                    && !r.capture) {
                if (r.forwardNode == node && !r.hidden) {
                    if (r == inFlight.peekFirst()) {
                        if (!skipUntilSync || r.isSyncPoint()) {
                            sink.toClientRange(batch, pos, next);
                            if (r.cache != null) {
                                r.cache.frames(batch, pos, next);
                            }
                        }
                    } else {
                        r.buffer(batch.retainedSlice(pos, next - pos));
                    }
                }
                if (isTerminal(r.kind, tag)) {
                    mine.pollFirst();
                    complete(r, node);
                }
            } else if (r != null && tag == BackendTag.READY_FOR_QUERY && next - pos == 6
                    && passesThrough(r, node, batch.getByte(pos + 5))) {
                r.readyStatus[node] = batch.getByte(pos + 5);
                r.readyForwarded = true;
                sink.toClientRange(batch, pos, next);
                mine.pollFirst();
                complete(r, node);
            } else {
                onBackendFrame(node, batch.retainedSlice(pos, next - pos));
            }
            pos = next;
        }
    }

    /**
     * The common end of a query: the ReadyForQuery of a request that went to one node only, which is at the head
     * and whose status the client sees unchanged; it then needs no frame of its own.
     */
    private boolean passesThrough(Request r, int node, byte status) {
        return r.forwardNode == node && !r.hidden && !r.hold && r.targets == NodeSet.of(node) && r.readyStatus != null
                && r == inFlight.peekFirst() && sink.readyPassesThrough(node, status);
    }

    /** Messages that change nothing but the progress of their request. */
    private static boolean isPlain(byte tag) {
        return switch (tag) {
            case BackendTag.READY_FOR_QUERY, BackendTag.ERROR_RESPONSE, BackendTag.COPY_IN_RESPONSE,
                    BackendTag.COPY_OUT_RESPONSE, BackendTag.NOTIFICATION_RESPONSE, BackendTag.PARAMETER_STATUS ->
                    false;
            default -> true;
        };
    }

    /** One whole message from {@code node}; the queue owns the frame from here. */
    void onBackendFrame(int node, ByteBuf frame) {
        byte tag = frame.getByte(frame.readerIndex());
        if (tag == BackendTag.NOTIFICATION_RESPONSE || tag == BackendTag.PARAMETER_STATUS) {
            sink.asynchronous(node, frame, false);
            return;
        }
        Request r = perNode[node].peekFirst();
        if (r == null) {
            sink.asynchronous(node, frame, true);
            return;
        }
        boolean forward = r.forwardNode == node && !r.hidden;
        NodeOutcome outcome = r.outcomes == null ? null : r.outcomes[node];
        if (outcome != null) {
            record(outcome, tag, frame);
        }
        boolean terminal;
        switch (tag) {
            case BackendTag.READY_FOR_QUERY -> {
                if (r.readyStatus != null) {
                    r.readyStatus[node] = ReadyForQuery.status(frame);
                }
                if (forward && r.forwardReady == null) {
                    r.forwardReady = frame;
                } else {
                    ReferenceCountUtil.release(frame);
                }
                frame = null;
                terminal = true;
            }
            case BackendTag.ERROR_RESPONSE -> {
                sink.backendError(node, frame);
                r.errorNodes = NodeSet.with(r.errorNodes, node);
                if (r.firstError == null || node == r.forwardNode) {
                    r.firstError = ErrorResponse.decode(frame);
                }
                if (r.hidden && r.kind == 'P') {
                    forward = true; // a failed re-Parse must be reported: the client's Bind depended on it
                }
                terminal = !r.isSyncPoint();
                if (terminal) {
                    skipToSync(node);
                }
            }
            case BackendTag.COPY_IN_RESPONSE -> {
                terminal = false;
                if (node == r.forwardNode) {
                    r.copyIn = true;
                    sink.copyInStarted(r);
                }
            }
            default -> terminal = isTerminal(r.kind, tag);
        }
        if (frame != null && tag == BackendTag.COPY_IN_RESPONSE && r.hold && forward) {
            // the client must start sending its data now: what was held so far goes with it
            if (r.buffered != null) {
                r.buffered.forEach(sink::toClient);
                r.buffered = null;
            }
            sink.toClient(frame);
            frame = null;
        }
        if (frame != null) {
            if (r.hold && forward || r.capture) {
                r.buffer(frame); // read by the session once every node has answered
            } else if (forward) {
                emit(r, frame, tag);
            } else {
                ReferenceCountUtil.release(frame);
            }
        }
        if (terminal) {
            perNode[node].pollFirst();
            complete(r, node);
        }
    }

    private static void record(NodeOutcome o, byte tag, ByteBuf frame) {
        switch (tag) {
            case BackendTag.ERROR_RESPONSE -> {
                if (o.error == null) {
                    o.error = ErrorResponse.decode(frame);
                }
            }
            case BackendTag.COMMAND_COMPLETE -> o.tags.add(CommandComplete.decode(frame).tag());
            case BackendTag.EMPTY_QUERY_RESPONSE -> o.emptyQuery = true;
            default -> {
            }
        }
    }

    /** After an error a server ignores messages until Sync: those requests will get no answer from it. */
    private void skipToSync(int node) {
        ArrayDeque<Request> q = perNode[node];
        Request failed = q.pollFirst();
        while (!q.isEmpty() && q.peekFirst().kind != 'S') {
            complete(q.pollFirst(), node);
        }
        q.addFirst(failed);
    }

    private static boolean isTerminal(byte kind, byte tag) {
        return switch (kind) {
            case 'P' -> tag == BackendTag.PARSE_COMPLETE;
            case 'B' -> tag == BackendTag.BIND_COMPLETE;
            case 'C' -> tag == BackendTag.CLOSE_COMPLETE;
            case 'D' -> tag == BackendTag.ROW_DESCRIPTION || tag == BackendTag.NO_DATA;
            case 'E' -> tag == BackendTag.COMMAND_COMPLETE || tag == BackendTag.EMPTY_QUERY_RESPONSE
                    || tag == BackendTag.PORTAL_SUSPENDED;
            default -> false; // Q, S, F end with ReadyForQuery
        };
    }

    private void emit(Request r, ByteBuf frame, byte tag) {
        if (r != inFlight.peekFirst()) {
            r.buffer(frame);
            return;
        }
        write(r, frame, tag);
    }

    private void write(Request r, ByteBuf frame, byte tag) {
        if (skipUntilSync && !r.isSyncPoint()) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (tag == BackendTag.ERROR_RESPONSE && !r.isSyncPoint()) {
            skipUntilSync = true; // PostgreSQL: after an error, skip to Sync
        }
        if (r.cache != null) {
            r.cache.frame(frame);
        }
        sink.toClient(frame);
    }

    private void complete(Request r, int node) {
        r.pending &= ~NodeSet.of(node);
        if (r.pending == 0 && !r.done) {
            r.done = true;
            if (r == inFlight.peekFirst()) {
                advance();
            }
        }
    }

    private void advance() {
        Request head;
        while ((head = inFlight.peekFirst()) != null && head.done) {
            inFlight.pollFirst();
            if (head.kind == 'S') {
                skipUntilSync = false;
            }
            sink.requestDone(head);
            Request next = inFlight.peekFirst();
            if (next != null) {
                drainBuffer(next);
            }
        }
    }

    /**
     * The new head writes what it buffered while it waited. What a held or captured request buffered is not for
     * the client yet: its owner (a native unit) reads it once every node has answered.
     */
    private void drainBuffer(Request r) {
        if (r.buffered == null || r.hold || r.capture) {
            return;
        }
        ArrayDeque<ByteBuf> frames = r.buffered;
        r.buffered = null;
        for (ByteBuf f : frames) {
            write(r, f, f.getByte(f.readerIndex()));
        }
    }

    /** {@code node}'s connection is gone: what it owed completes without its answer. */
    void abandon(int node) {
        Request r;
        while ((r = perNode[node].pollFirst()) != null) {
            complete(r, node);
        }
    }

    /** Forgets everything still owed (the session is ending). */
    void clear() {
        for (Request r : inFlight) {
            r.releaseBuffers();
        }
        inFlight.clear();
        for (ArrayDeque<Request> q : perNode) {
            q.clear();
        }
        skipUntilSync = false;
    }
}
