package io.jpgpool.core.session;

import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Consumer;

/**
 * What goes to the client, batched: messages are written as they come and flushed once per round trip; a run
 * of consecutive messages of one backend read goes out as one slice of that read (no copy, one buffer).
 */
final class ClientOutput {
    private final Channel channel;
    private boolean dirty;
    /** A run of forwarded messages of the batch being handled, written as one slice. */
    private ByteBuf pendingBatch;
    private int pendingStart;
    private int pendingEnd;

    ClientOutput(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** One whole message, which the output now owns. */
    void write(ByteBuf frame) {
        flushPendingRange();
        if (frame.getByte(frame.readerIndex()) == BackendTag.COPY_OUT_RESPONSE) {
            flush();
        }
        channel.write(frame, channel.voidPromise());
        dirty = true;
    }

    /** Bytes {@code [start, end)} of {@code batch}; consecutive ranges of the same batch are written as one. */
    void writeRange(ByteBuf batch, int start, int end) {
        if (pendingBatch == batch && pendingEnd == start) {
            pendingEnd = end;
            return;
        }
        flushPendingRange();
        pendingBatch = batch;
        pendingStart = start;
        pendingEnd = end;
    }

    /** Writes the run collected from the current batch, while that batch is still valid. */
    void flushPendingRange() {
        if (pendingBatch != null) {
            ByteBuf run = pendingBatch.retainedSlice(pendingStart, pendingEnd - pendingStart);
            pendingBatch = null;
            channel.write(run, channel.voidPromise());
            dirty = true;
        }
    }

    /** A message jpgpool makes itself. */
    void encode(Consumer<ByteBuf> encoder) {
        flushPendingRange();
        ByteBuf out = channel.alloc().buffer();
        encoder.accept(out);
        channel.write(out, channel.voidPromise());
        dirty = true;
    }

    void flush() {
        flushPendingRange();
        if (dirty) {
            dirty = false;
            channel.flush();
        }
    }

    /**
     * The last message: it goes out with everything before it, then the connection closes. In the middle of a TLS
     * handshake nothing can go out: the connection just closes (authentication_timeout).
     */
    void fatal(ErrorResponse error) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null && !tls.handshakeFuture().isSuccess()) {
            channel.close();
            return;
        }
        flushPendingRange();
        ByteBuf out = channel.alloc().buffer();
        error.encode(out);
        channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        dirty = false;
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    void autoRead(boolean on) {
        channel.config().setAutoRead(on);
    }

    boolean autoRead() {
        return channel.config().isAutoRead();
    }

    String remoteHost() {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : "[local]";
    }

    String remotePort() {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a ? String.valueOf(a.getPort()) : "";
    }
}
