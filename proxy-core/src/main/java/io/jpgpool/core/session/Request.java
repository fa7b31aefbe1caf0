package io.jpgpool.core.session;

import io.jpgpool.core.cache.CacheHandle;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One client message (or one message jpgpool sends on its own) that backends will answer: where it went,
 * whose answer the client sees, and what has come back so far.
 */
final class Request {
    /** Kinds beyond the protocol's own tags. */
    static final byte LOCAL = 0;

    final byte kind;
    final long targets;
    final int forwardNode;
    /** Sent by jpgpool itself (a re-Parse, an abort): nothing reaches the client except an error. */
    final boolean hidden;
    final Object context;

    long pending;
    boolean done;
    long errorNodes;
    ErrorResponse firstError;
    /** ReadyForQuery status per node, for Query/Sync/FunctionCall. */
    final byte[] readyStatus;
    /** The forward node's ReadyForQuery frame, reused when the merged status is the same. */
    ByteBuf forwardReady;
    /** The forward node's ReadyForQuery already went to the client with the answer (a single-node request). */
    boolean readyForwarded;
    /** Frames for the client that came before this request reached the head of the queue. */
    ArrayDeque<ByteBuf> buffered;
    boolean copyIn;
    /**
     * The forward node's answer is kept in {@link #buffered} even at the head of the queue: it reaches the client
     * only once the other nodes' answers have been compared with it (native replication).
     */
    boolean hold;
    /** A hidden request whose answer jpgpool reads itself (a {@code SELECT now()}): kept in {@link #buffered}. */
    boolean capture;
    /** Each node's answer, where they are compared; null otherwise. */
    NodeOutcome[] outcomes;
    /** When the request was queued (System.nanoTime), for the client-side latency. */
    long queuedNanos;
    /** The query cache's view of this request's answer: it gets every message the client gets (null: none). */
    CacheHandle cache;

    Request(byte kind, long targets, int forwardNode, boolean hidden, Object context, int nodes) {
        this.kind = kind;
        this.targets = targets;
        this.pending = targets;
        this.forwardNode = forwardNode;
        this.hidden = hidden;
        this.context = context;
        this.readyStatus = isSyncPoint(kind) ? new byte[nodes] : null;
        this.done = targets == 0;
    }

    /** Records each node's outcome (for a vote). */
    Request recording(int nodes) {
        outcomes = new NodeOutcome[nodes];
        for (int n = NodeSet.next(targets, 0); n >= 0; n = NodeSet.next(targets, n + 1)) {
            outcomes[n] = new NodeOutcome();
        }
        return this;
    }

    /** Answered by jpgpool itself: {@link #buffered} already holds the whole answer. */
    boolean localAnswer;

    /**
     * A request answered by jpgpool itself with these frames (one buffer, several messages allowed, the first
     * one's tag decides how the queue treats it). {@code kind} is {@code 'S'} for a Sync answered locally.
     */
    static Request local(byte kind, ByteBuf frames, Object context) {
        Request r = new Request(kind, NodeSet.EMPTY, -1, false, context, 0);
        r.localAnswer = true;
        r.buffered = new ArrayDeque<>(1);
        r.buffered.add(frames);
        return r;
    }

    /** Query, Sync and FunctionCall end with ReadyForQuery. */
    static boolean isSyncPoint(byte kind) {
        return kind == 'Q' || kind == 'S' || kind == 'F';
    }

    boolean isSyncPoint() {
        return isSyncPoint(kind);
    }

    boolean failed() {
        return errorNodes != 0;
    }

    void buffer(ByteBuf frame) {
        if (buffered == null) {
            buffered = new ArrayDeque<>();
        }
        buffered.add(frame);
    }

    void releaseBuffers() {
        if (buffered != null) {
            buffered.forEach(ReferenceCountUtil::release);
            buffered = null;
        }
        if (forwardReady != null) {
            forwardReady.release();
            forwardReady = null;
        }
    }

    @Override
    public String toString() {
        return (kind == LOCAL ? "local" : String.valueOf((char) kind)) + NodeSet.toString(targets)
                + (hidden ? " hidden" : "") + (hold ? " held" : "") + (done ? " done" : " pending "
                + NodeSet.toString(pending));
    }
}
