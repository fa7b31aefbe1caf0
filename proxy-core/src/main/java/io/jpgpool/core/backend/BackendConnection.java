package io.jpgpool.core.backend;

import io.jpgpool.core.auth.AuthMethod;
import io.jpgpool.core.auth.ReuseProof;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logged-in connection to a PostgreSQL node. Its messages go to whoever owns it now (a {@link
 * BackendListener}); it remembers what a new owner needs: the server's parameters, its BackendKeyData, its
 * transaction status, how it authenticated and what that proved (for its next client).
 */
public final class BackendConnection {
    private final int nodeId;
    private final Channel channel;
    private final PoolKey key;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final long createdNanos = System.nanoTime();
    private final java.time.Instant createdAt = java.time.Instant.now();
    private long reuseCount;
    /** The requests this connection still owes answers to, in order; managed by the owning session. */
    private final ArrayDeque<Object> outstanding = new ArrayDeque<>();

    private BackendListener listener;
    private int processId;
    private volatile boolean terminateRequested;
    private int secretKey;
    private byte txStatus = ReadyForQuery.IDLE;
    private AuthMethod authMethod = AuthMethod.TRUST;
    private ReuseProof reuseProof;
    private long idleSinceNanos;
    private boolean closing;
    /** What {@link #write} queued and has not handed to the channel yet (it may grow by the next write). */
    private ByteBuf unwritten;

    BackendConnection(int nodeId, Channel channel, PoolKey key) {
        this.nodeId = nodeId;
        this.channel = channel;
        this.key = key;
    }

    public int nodeId() {
        return nodeId;
    }

    public Channel channel() {
        return channel;
    }

    public PoolKey key() {
        return key;
    }

    /** A client asked pg_terminate_backend for this connection's backend: its end is no node failure. */
    public void terminateRequested() {
        terminateRequested = true;
    }

    public boolean isTerminateRequested() {
        return terminateRequested;
    }

    public int processId() {
        return processId;
    }

    public int secretKey() {
        return secretKey;
    }

    void backendKey(int pid, int key) {
        this.processId = pid;
        this.secretKey = key;
    }

    /** The server's reported parameters (ParameterStatus), kept current while the connection is used. */
    public Map<String, String> parameters() {
        return parameters;
    }

    public byte txStatus() {
        return txStatus;
    }

    public void txStatus(byte status) {
        this.txStatus = status;
    }

    public AuthMethod authMethod() {
        return authMethod;
    }

    void authMethod(AuthMethod method) {
        this.authMethod = method;
    }

    /**
     * What the login that made this connection proved about its client, which the next client must prove too
     * before it gets the connection from the pool; null until a session has logged in with it (never reused).
     */
    public ReuseProof reuseProof() {
        return reuseProof;
    }

    public void reuseProof(ReuseProof proof) {
        this.reuseProof = proof;
    }

    public ArrayDeque<Object> outstanding() {
        return outstanding;
    }

    public java.time.Instant createdAt() {
        return createdAt;
    }

    /** How many client sessions have used this connection after the first (pgpool's pool_counter - 1). */
    public long reuseCount() {
        return reuseCount;
    }

    void reused() {
        reuseCount++;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public long idleSinceNanos() {
        return idleSinceNanos;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    public BackendListener listener() {
        return listener;
    }

    public void listener(BackendListener newListener) {
        this.listener = newListener;
    }

    public boolean isActive() {
        return channel.isActive() && !closing;
    }

    /**
     * Queues bytes for the server; nothing is sent until {@link #flush()}. Client messages of one read that follow
     * each other in its buffer (Parse, Bind, Describe, Execute, Sync) are written as one slice of it.
     */
    public void write(ByteBuf buf) {
        if (unwritten != null) {
            ByteBuf joined = Frames.joined(unwritten, buf);
            if (joined != null) {
                unwritten = joined;
                return;
            }
            channel.write(unwritten, channel.voidPromise());
        }
        unwritten = buf;
    }

    private void writeUnwritten() {
        if (unwritten != null) {
            ByteBuf b = unwritten;
            unwritten = null;
            channel.write(b, channel.voidPromise());
        }
    }

    public void flush() {
        writeUnwritten();
        channel.flush();
    }

    public void writeAndFlush(ByteBuf buf) {
        writeUnwritten();
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /** Sends Terminate and closes: the server ends its backend process cleanly. */
    public void terminate() {
        if (closing) {
            return;
        }
        closing = true;
        writeUnwritten();
        if (channel.isActive()) {
            ByteBuf b = channel.alloc().buffer(5);
            b.writeByte('X').writeInt(4);
            channel.writeAndFlush(b).addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    /** Closes without the goodbye, for a connection we can no longer trust. */
    public void abort() {
        closing = true;
        dropUnwritten();
        channel.close();
    }

    private void dropUnwritten() {
        if (unwritten != null) {
            unwritten.release();
            unwritten = null;
        }
    }

    @Override
    public String toString() {
        return "node " + nodeId + " pid " + processId;
    }

    /** The Netty end: hands every frame to the current owner. */
    static final class Handler extends ChannelInboundHandlerAdapter {
        private BackendConnection connection;

        void attach(BackendConnection c) {
            this.connection = c;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            BackendListener l = connection == null ? null : connection.listener;
            if (l == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            l.onMessages(connection, (ByteBuf) msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            BackendListener l = connection == null ? null : connection.listener;
            if (l != null) {
                l.onReadComplete(connection);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            BackendListener l = connection == null ? null : connection.listener;
            if (l != null) {
                l.onWritabilityChanged(connection);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            notifyClosed(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            notifyClosed(cause);
            ctx.close();
        }

        private void notifyClosed(Throwable cause) {
            if (connection == null) {
                return;
            }
            BackendListener l = connection.listener;
            connection.listener = null;
            connection.closing = true;
            connection.dropUnwritten();
            if (l != null) {
                l.onClosed(connection, cause);
            }
        }
    }
}
